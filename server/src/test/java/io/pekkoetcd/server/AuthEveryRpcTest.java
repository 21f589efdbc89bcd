package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AuthDisableRequest;
import io.etcd.jetcd.api.AuthEnableRequest;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthRoleAddRequest;
import io.etcd.jetcd.api.AuthRoleDeleteRequest;
import io.etcd.jetcd.api.AuthRoleGetRequest;
import io.etcd.jetcd.api.AuthRoleGrantPermissionRequest;
import io.etcd.jetcd.api.AuthRoleListRequest;
import io.etcd.jetcd.api.AuthRoleRevokePermissionRequest;
import io.etcd.jetcd.api.AuthUserAddRequest;
import io.etcd.jetcd.api.AuthUserChangePasswordRequest;
import io.etcd.jetcd.api.AuthUserDeleteRequest;
import io.etcd.jetcd.api.AuthUserGetRequest;
import io.etcd.jetcd.api.AuthUserGrantRoleRequest;
import io.etcd.jetcd.api.AuthUserListRequest;
import io.etcd.jetcd.api.AuthUserRevokeRoleRequest;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.CampaignRequest;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.ElectionGrpc;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaderKey;
import io.etcd.jetcd.api.LeaderRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.Permission;
import io.etcd.jetcd.api.ProclaimRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResignRequest;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.api.lock.LockGrpc;
import io.etcd.jetcd.api.lock.LockRequest;
import io.etcd.jetcd.api.lock.UnlockRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every RPC of every service with auth enabled (but AuthStatus, LeaseLeases and MemberPromote,
 * which jetcd 0.8.5's protos lack; AuthEtcdctlCompatibilityTest covers etcdctl's), first with no
 * token and then with the token of a user who may only read key {@code a}, against real etcd 3.4
 * and against pekko-etcd: each call must end the same way (OK, or the same gRPC code and message).
 * What etcd 3.4 refuses is refused with its error; what it lets through (leases, MemberList,
 * Status, Alarm, MoveLeader, Compact) passes here too. Admin-only calls are also made as root to
 * show the denials are about identity.
 */
class AuthEveryRpcTest {
  @TempDir Path dir;

  @Test
  void everyRpcEndsAsAgainstRealEtcd() throws Exception {
    assertThat(Etcdctl.available()).as("etcdctl on PATH (Debian etcd-client)").isTrue();
    assertThat(RealEtcd.available()).as("etcd on PATH (Debian etcd-server)").isTrue();
    List<String> reference;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), "auth-rpc")) {
      reference = probe(etcd.endpoint(), etcd.port());
    }
    List<String> ours;
    try (InProcessMember member =
        InProcessMember.startWith(dir.resolve("pekko"), "auth-rpc", "--bcrypt-cost=4")) {
      ours = probe("127.0.0.1:" + member.port(), member.port());
    }
    Path out = Path.of("target", "etcdctl-compat");
    Files.createDirectories(out);
    Files.writeString(out.resolve("auth-rpc-etcd.txt"), String.join("\n", reference));
    Files.writeString(out.resolve("auth-rpc-pekko-etcd.txt"), String.join("\n", ours));
    assertThat(reference).hasSameSizeAs(ours);
    // the refusals are there at all (not everything passing on both sides)
    assertThat(ours).anyMatch(l -> l.contains("INVALID_ARGUMENT etcdserver: user name is empty"));
    assertThat(ours).anyMatch(l -> l.contains("PERMISSION_DENIED etcdserver: permission denied"));
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < reference.size(); i++) {
      soft.assertThat(ours.get(i)).isEqualTo(reference.get(i));
    }
    soft.assertAll();
  }

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static List<String> probe(String endpoint, int port) throws Exception {
    for (String[] step :
        List.of(
            new String[] {"user", "add", "root", "--new-user-password=rootpw"},
            new String[] {"user", "add", "alice", "--new-user-password=alicepw"},
            new String[] {"role", "add", "ra"},
            new String[] {"role", "grant-permission", "ra", "read", "a"},
            new String[] {"user", "grant-role", "alice", "ra"},
            new String[] {"auth", "enable"})) {
      assertThat(Etcdctl.run(endpoint, null, step).exitCode()).as(String.join(" ", step)).isZero();
    }
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      List<String> out = new ArrayList<>();
      String alice =
          AuthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .authenticate(
                  AuthenticateRequest.newBuilder().setName("alice").setPassword("alicepw").build())
              .getToken();
      String root =
          AuthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .authenticate(
                  AuthenticateRequest.newBuilder().setName("root").setPassword("rootpw").build())
              .getToken();
      calls(out, "no token", channel, null);
      calls(out, "alice", channel, alice);
      out.add(
          "root UserList "
              + call(
                  () ->
                      stub(AuthGrpc.newBlockingStub(channel), root)
                          .userList(AuthUserListRequest.getDefaultInstance())));
      out.add(
          "root HashKV "
              + call(
                  () ->
                      stub(MaintenanceGrpc.newBlockingStub(channel), root)
                          .hashKV(HashKVRequest.getDefaultInstance())));
      out.add(
          "bad token Range "
              + call(
                  () ->
                      stub(KVGrpc.newBlockingStub(channel), "bogus.1")
                          .range(RangeRequest.newBuilder().setKey(b("a")).build())));
      out.add(
          "root AuthDisable "
              + call(
                  () ->
                      stub(AuthGrpc.newBlockingStub(channel), root)
                          .authDisable(AuthDisableRequest.getDefaultInstance())));
      out.add(
          "after disable Range "
              + call(
                  () ->
                      stub(KVGrpc.newBlockingStub(channel), null)
                          .range(RangeRequest.newBuilder().setKey(b("a")).build())));
      return out;
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static <S extends AbstractStub<S>> S stub(S s, String token) {
    S d = s.withDeadlineAfter(10, TimeUnit.SECONDS);
    if (token == null) {
      return d;
    }
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
    return d.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  /** "OK" or the status code and message. */
  private static String call(Supplier<?> rpc) {
    try {
      Object r = rpc.get();
      if (r instanceof Iterator<?> it) {
        it.hasNext(); // a server stream: its first message or its error
      }
      return "OK";
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() + " " + e.getStatus().getDescription();
    }
  }

  /** A bidi stream's first answer: OK if a response comes, else the stream's error. */
  static <Q, R> String bidi(
      java.util.function.Function<StreamObserver<R>, StreamObserver<Q>> open,
      Q first,
      java.util.function.Function<R, String> summary)
      throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    StreamObserver<Q> requests =
        open.apply(
            new StreamObserver<>() {
              @Override
              public void onNext(R value) {
                result.complete("OK " + summary.apply(value));
              }

              @Override
              public void onError(Throwable t) {
                Status s = Status.fromThrowable(t);
                result.complete(s.getCode() + " " + s.getDescription());
              }

              @Override
              public void onCompleted() {
                result.complete("completed");
              }
            });
    requests.onNext(first);
    try {
      return result.get(10, TimeUnit.SECONDS);
    } finally {
      requests.onCompleted();
    }
  }

  private static void calls(List<String> out, String who, ManagedChannel ch, String token)
      throws Exception {
    var kv = stub(KVGrpc.newBlockingStub(ch), token);
    var lease = stub(LeaseGrpc.newBlockingStub(ch), token);
    var cluster = stub(ClusterGrpc.newBlockingStub(ch), token);
    var maint = stub(MaintenanceGrpc.newBlockingStub(ch), token);
    var auth = stub(AuthGrpc.newBlockingStub(ch), token);
    var lock = stub(LockGrpc.newBlockingStub(ch), token);
    var election = stub(ElectionGrpc.newBlockingStub(ch), token);
    List<Object[]> rpcs = new ArrayList<>();
    rpcs.add(
        new Object[] {
          "Range", (Supplier<?>) () -> kv.range(RangeRequest.newBuilder().setKey(b("b")).build())
        });
    rpcs.add(
        new Object[] {
          "Range a", (Supplier<?>) () -> kv.range(RangeRequest.newBuilder().setKey(b("a")).build())
        });
    rpcs.add(
        new Object[] {
          "Put",
          (Supplier<?>)
              () -> kv.put(PutRequest.newBuilder().setKey(b("a")).setValue(b("v")).build())
        });
    rpcs.add(
        new Object[] {
          "DeleteRange",
          (Supplier<?>) () -> kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("a")).build())
        });
    rpcs.add(
        new Object[] {
          "Txn",
          (Supplier<?>)
              () ->
                  kv.txn(
                      TxnRequest.newBuilder()
                          .addFailure(
                              RequestOp.newBuilder()
                                  .setRequestRange(RangeRequest.newBuilder().setKey(b("b"))))
                          .build())
        });
    rpcs.add(
        new Object[] {
          "LeaseRevoke",
          (Supplier<?>)
              () -> lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(0x1234).build())
        });
    rpcs.add(
        new Object[] {
          "LeaseTimeToLive",
          (Supplier<?>)
              () -> lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(0x1234).build())
        });
    rpcs.add(
        new Object[] {
          "MemberList",
          (Supplier<?>) () -> cluster.memberList(MemberListRequest.getDefaultInstance())
        });
    rpcs.add(
        new Object[] {
          "MemberAdd",
          (Supplier<?>)
              () ->
                  cluster.memberAdd(
                      MemberAddRequest.newBuilder().addPeerURLs("http://127.0.0.1:1").build())
        });
    rpcs.add(
        new Object[] {
          "MemberRemove",
          (Supplier<?>)
              () -> cluster.memberRemove(MemberRemoveRequest.newBuilder().setID(0x1234).build())
        });
    rpcs.add(
        new Object[] {
          "MemberUpdate",
          (Supplier<?>)
              () ->
                  cluster.memberUpdate(
                      MemberUpdateRequest.newBuilder()
                          .setID(0x1234)
                          .addPeerURLs("http://127.0.0.1:2")
                          .build())
        });
    rpcs.add(
        new Object[] {"Alarm", (Supplier<?>) () -> maint.alarm(AlarmRequest.getDefaultInstance())});
    rpcs.add(
        new Object[] {
          "Status", (Supplier<?>) () -> maint.status(StatusRequest.getDefaultInstance())
        });
    rpcs.add(
        new Object[] {
          "Defragment", (Supplier<?>) () -> maint.defragment(DefragmentRequest.getDefaultInstance())
        });
    rpcs.add(
        new Object[] {"Hash", (Supplier<?>) () -> maint.hash(HashRequest.getDefaultInstance())});
    rpcs.add(
        new Object[] {
          "HashKV", (Supplier<?>) () -> maint.hashKV(HashKVRequest.getDefaultInstance())
        });
    rpcs.add(
        new Object[] {
          "Snapshot", (Supplier<?>) () -> maint.snapshot(SnapshotRequest.getDefaultInstance())
        });
    rpcs.add(
        new Object[] {
          "MoveLeader",
          (Supplier<?>)
              () -> maint.moveLeader(MoveLeaderRequest.newBuilder().setTargetID(0x1234).build())
        });
    rpcs.add(
        new Object[] {
          "AuthEnable", (Supplier<?>) () -> auth.authEnable(AuthEnableRequest.getDefaultInstance())
        });
    rpcs.add(
        new Object[] {
          "AuthDisable",
          (Supplier<?>) () -> auth.authDisable(AuthDisableRequest.getDefaultInstance())
        });
    rpcs.add(
        new Object[] {
          "UserAdd",
          (Supplier<?>)
              () ->
                  auth.userAdd(
                      AuthUserAddRequest.newBuilder().setName("bob").setPassword("b").build())
        });
    rpcs.add(
        new Object[] {
          "UserGet",
          (Supplier<?>) () -> auth.userGet(AuthUserGetRequest.newBuilder().setName("root").build())
        });
    rpcs.add(
        new Object[] {
          "UserGet self",
          (Supplier<?>) () -> auth.userGet(AuthUserGetRequest.newBuilder().setName("alice").build())
        });
    rpcs.add(
        new Object[] {
          "UserList", (Supplier<?>) () -> auth.userList(AuthUserListRequest.getDefaultInstance())
        });
    rpcs.add(
        new Object[] {
          "UserDelete",
          (Supplier<?>)
              () -> auth.userDelete(AuthUserDeleteRequest.newBuilder().setName("root").build())
        });
    rpcs.add(
        new Object[] {
          "UserChangePassword",
          (Supplier<?>)
              () ->
                  auth.userChangePassword(
                      AuthUserChangePasswordRequest.newBuilder()
                          .setName("root")
                          .setPassword("x")
                          .build())
        });
    rpcs.add(
        new Object[] {
          "UserGrantRole",
          (Supplier<?>)
              () ->
                  auth.userGrantRole(
                      AuthUserGrantRoleRequest.newBuilder()
                          .setUser("alice")
                          .setRole("root")
                          .build())
        });
    rpcs.add(
        new Object[] {
          "UserRevokeRole",
          (Supplier<?>)
              () ->
                  auth.userRevokeRole(
                      AuthUserRevokeRoleRequest.newBuilder().setName("alice").setRole("ra").build())
        });
    rpcs.add(
        new Object[] {
          "RoleAdd",
          (Supplier<?>) () -> auth.roleAdd(AuthRoleAddRequest.newBuilder().setName("rb").build())
        });
    rpcs.add(
        new Object[] {
          "RoleGet",
          (Supplier<?>) () -> auth.roleGet(AuthRoleGetRequest.newBuilder().setRole("root").build())
        });
    rpcs.add(
        new Object[] {
          "RoleGet own",
          (Supplier<?>) () -> auth.roleGet(AuthRoleGetRequest.newBuilder().setRole("ra").build())
        });
    rpcs.add(
        new Object[] {
          "RoleList", (Supplier<?>) () -> auth.roleList(AuthRoleListRequest.getDefaultInstance())
        });
    rpcs.add(
        new Object[] {
          "RoleDelete",
          (Supplier<?>)
              () -> auth.roleDelete(AuthRoleDeleteRequest.newBuilder().setRole("ra").build())
        });
    rpcs.add(
        new Object[] {
          "RoleGrantPermission",
          (Supplier<?>)
              () ->
                  auth.roleGrantPermission(
                      AuthRoleGrantPermissionRequest.newBuilder()
                          .setName("ra")
                          .setPerm(Permission.newBuilder().setKey(b("z")))
                          .build())
        });
    rpcs.add(
        new Object[] {
          "RoleRevokePermission",
          (Supplier<?>)
              () ->
                  auth.roleRevokePermission(
                      AuthRoleRevokePermissionRequest.newBuilder()
                          .setRole("ra")
                          .setKey(b("a"))
                          .build())
        });
    rpcs.add(
        new Object[] {
          "Lock", (Supplier<?>) () -> lock.lock(LockRequest.newBuilder().setName(b("lk")).build())
        });
    rpcs.add(
        new Object[] {
          "Unlock",
          (Supplier<?>) () -> lock.unlock(UnlockRequest.newBuilder().setKey(b("lk/1")).build())
        });
    rpcs.add(
        new Object[] {
          "Campaign",
          (Supplier<?>)
              () ->
                  election.campaign(
                      CampaignRequest.newBuilder().setName(b("el")).setValue(b("p")).build())
        });
    rpcs.add(
        new Object[] {
          "Proclaim",
          (Supplier<?>)
              () ->
                  election.proclaim(
                      ProclaimRequest.newBuilder()
                          .setLeader(LeaderKey.newBuilder().setName(b("el")).setKey(b("el/1")))
                          .setValue(b("p"))
                          .build())
        });
    rpcs.add(
        new Object[] {
          "Leader",
          (Supplier<?>) () -> election.leader(LeaderRequest.newBuilder().setName(b("el")).build())
        });
    rpcs.add(
        new Object[] {
          "Resign",
          (Supplier<?>)
              () ->
                  election.resign(
                      ResignRequest.newBuilder()
                          .setLeader(LeaderKey.newBuilder().setName(b("el")).setKey(b("el/1")))
                          .build())
        });
    rpcs.add(
        new Object[] {
          "Observe",
          (Supplier<?>) () -> election.observe(LeaderRequest.newBuilder().setName(b("el")).build())
        });
    for (Object[] r : rpcs) {
      out.add(who + " " + r[0] + " " + call((Supplier<?>) r[1]));
    }
    out.add(
        who
            + " Watch b "
            + bidi(
                (StreamObserver<WatchResponse> o) -> stub(WatchGrpc.newStub(ch), token).watch(o),
                WatchRequest.newBuilder()
                    .setCreateRequest(WatchCreateRequest.newBuilder().setKey(b("b")))
                    .build(),
                (WatchResponse w) ->
                    "created="
                        + w.getCreated()
                        + " canceled="
                        + w.getCanceled()
                        + " id="
                        + w.getWatchId()
                        + " reason="
                        + w.getCancelReason()));
    out.add(
        who
            + " LeaseKeepAlive "
            + bidi(
                (StreamObserver<LeaseKeepAliveResponse> o) ->
                    stub(LeaseGrpc.newStub(ch), token).leaseKeepAlive(o),
                LeaseKeepAliveRequest.newBuilder().setID(0x1234).build(),
                (LeaseKeepAliveResponse k) -> "ttl=" + k.getTTL()));
    out.add(
        who
            + " Watch a "
            + bidi(
                (StreamObserver<WatchResponse> o) -> stub(WatchGrpc.newStub(ch), token).watch(o),
                WatchRequest.newBuilder()
                    .setCreateRequest(WatchCreateRequest.newBuilder().setKey(b("a")))
                    .build(),
                (WatchResponse w) -> "created=" + w.getCreated() + " canceled=" + w.getCanceled()));
    out.add(
        who
            + " LeaseGrant "
            + call(() -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build())));
    out.add(
        who
            + " Compact "
            + call(() -> kv.compact(CompactionRequest.newBuilder().setRevision(1).build())));
  }
}
