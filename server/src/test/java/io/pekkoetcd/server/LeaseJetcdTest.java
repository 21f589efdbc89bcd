package io.pekkoetcd.server;

import static io.pekkoetcd.server.KvJetcdTest.assertEtcdError;
import static io.pekkoetcd.server.KvJetcdTest.bs;
import static io.pekkoetcd.server.KvJetcdTest.get;
import static io.pekkoetcd.server.KvJetcdTest.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.pekkoetcd.protocol.etcdserverpb.LeaseLeasesRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseLeasesResponse;
import io.pekkoetcd.testkit.cluster.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lease service through jetcd (and grpc-java on jetcd's protos where jetcd has no call, e.g. a
 * client-chosen lease ID) against a real member: every RPC and every lease error with etcd's code
 * and exact message (shared/etcd-api.md §2.9, §3), and a lease expiring with its keys.
 */
class LeaseJetcdTest {
  @TempDir static Path dir;
  static InProcessMember member;
  static Client client;
  static Lease lease;
  static KV kv;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    member = InProcessMember.start(dir.resolve("data"), "lease-test");
    client = Client.builder().endpoints(member.endpoint()).build();
    lease = client.getLeaseClient();
    kv = client.getKVClient();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", member.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow();
    client.close();
    member.close();
  }

  static LeaseGrpc.LeaseBlockingStub stub() {
    return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  static void assertStatus(Runnable call, Status.Code code, String message) {
    try {
      call.run();
      throw new AssertionError("expected " + code);
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).isEqualTo(message);
    }
  }

  @Test
  void grantAssignsAnIdAndRaisesTheTtlToTheMinimum() throws Exception {
    LeaseGrantResponse short1 = get(lease.grant(1));
    assertThat(short1.getID()).isPositive();
    assertThat(short1.getTTL()).isEqualTo(2);
    LeaseGrantResponse other = get(lease.grant(30));
    assertThat(other.getID()).isPositive().isNotEqualTo(short1.getID());
    assertThat(other.getTTL()).isEqualTo(30);
    assertThat(stub().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(0).build()).getTTL())
        .isEqualTo(2);
  }

  @Test
  void aClientChosenIdIsHonouredOnceAndHugeTtlsAreRefused() {
    long id = 0x7e57_1d00L;
    var granted = stub().leaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(60).build());
    assertThat(granted.getID()).isEqualTo(id);
    assertThat(granted.getTTL()).isEqualTo(60);
    assertThat(granted.getHeader().getMemberId()).isNotZero();
    assertStatus(
        () -> stub().leaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(60).build()),
        Status.Code.FAILED_PRECONDITION,
        "etcdserver: lease already exists");
    assertStatus(
        () -> stub().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(9_000_000_001L).build()),
        Status.Code.OUT_OF_RANGE,
        "etcdserver: too large lease TTL");
  }

  @Test
  void unknownLeasesAreNotFoundForRevokeAndPut() {
    assertEtcdError(
        lease.revoke(0x0bad), Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
    assertEtcdError(
        kv.put(bs("nolease"), bs("v"), PutOption.builder().withLeaseId(0x0bad).build()),
        Status.Code.NOT_FOUND,
        "etcdserver: requested lease not found");
  }

  @Test
  void timeToLiveListsTheKeysAndRevokeDeletesThemInOneRevision() throws Exception {
    long id = get(lease.grant(60)).getID();
    get(kv.put(bs("lk/a"), bs("1"), PutOption.builder().withLeaseId(id).build()));
    get(
        kv.txn()
            .Then(
                Op.put(bs("lk/b"), bs("2"), PutOption.builder().withLeaseId(id).build()),
                Op.put(bs("lk/c"), bs("3"), PutOption.DEFAULT))
            .commit());
    // ignore_lease keeps the key's lease
    io.etcd.jetcd.api.KVGrpc.newBlockingStub(channel)
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .put(
            io.etcd.jetcd.api.PutRequest.newBuilder()
                .setKey(com.google.protobuf.ByteString.copyFromUtf8("lk/a"))
                .setValue(com.google.protobuf.ByteString.copyFromUtf8("1b"))
                .setIgnoreLease(true)
                .build());
    assertThat(get(kv.get(bs("lk/a"))).getKvs().get(0).getLease()).isEqualTo(id);

    LeaseTimeToLiveResponse ttl =
        get(lease.timeToLive(id, LeaseOption.builder().withAttachedKeys().build()));
    assertThat(ttl.getGrantedTTL()).isEqualTo(60);
    assertThat(ttl.getTTL()).isBetween(55L, 60L);
    assertThat(ttl.getKeys().stream().map(KvJetcdTest::str).sorted())
        .containsExactly("lk/a", "lk/b");
    assertThat(leaseIds()).contains(id);

    Recorder rec = new Recorder();
    long from = get(kv.get(bs("lk/"))).getHeader().getRevision() + 1;
    try (Watch.Watcher w =
        client
            .getWatchClient()
            .watch(
                bs("lk/"), WatchOption.builder().isPrefix(true).withRevision(from).build(), rec)) {
      long revokedAt = get(lease.revoke(id)).getHeader().getRevision();
      List<WatchEvent> deletes = rec.events(2);
      assertThat(deletes)
          .extracting(e -> e.getEventType() + " " + str(e.getKeyValue().getKey()))
          .containsExactly("DELETE lk/a", "DELETE lk/b");
      assertThat(deletes).allMatch(e -> e.getKeyValue().getModRevision() == revokedAt);
      assertThat(rec.responsesWithEvents).isEqualTo(1);
    }
    assertThat(
            get(kv.get(bs("lk/"), io.etcd.jetcd.options.GetOption.builder().isPrefix(true).build()))
                .getKvs())
        .extracting(k -> str(k.getKey()))
        .containsExactly("lk/c");
    assertThat(get(lease.timeToLive(id, LeaseOption.DEFAULT)).getTTL()).isEqualTo(-1);
    assertThat(leaseIds()).doesNotContain(id);
  }

  @Test
  void keepAliveRenewsALeaseAndAnswersTtlZeroForAMissingOne() throws Exception {
    long id = get(lease.grant(20)).getID();
    assertThat(get(lease.keepAliveOnce(id)).getTTL()).isEqualTo(20);
    CompletableFuture<List<LeaseKeepAliveResponse>> answers = new CompletableFuture<>();
    List<LeaseKeepAliveResponse> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    StreamObserver<LeaseKeepAliveRequest> requests =
        LeaseGrpc.newStub(channel)
            .leaseKeepAlive(
                new StreamObserver<>() {
                  @Override
                  public void onNext(LeaseKeepAliveResponse r) {
                    got.add(r);
                    if (got.size() == 2) {
                      answers.complete(got);
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    answers.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(0x0bad).build());
    List<LeaseKeepAliveResponse> rs = answers.get(20, TimeUnit.SECONDS);
    requests.onCompleted();
    assertThat(rs.get(0).getID()).isEqualTo(id);
    assertThat(rs.get(0).getTTL()).isEqualTo(20);
    assertThat(rs.get(1).getID()).isEqualTo(0x0bad);
    assertThat(rs.get(1).getTTL()).isZero();
    assertThat(rs.get(1).getHeader().getMemberId()).isNotZero();
  }

  @Test
  void aKeyWithATwoSecondLeaseDisappearsWithinThreeSecondsAndItsWatcherSeesTheDelete()
      throws Exception {
    LeaseGrantResponse g = get(lease.grant(2));
    PutResponse put =
        get(kv.put(bs("expiring"), bs("v"), PutOption.builder().withLeaseId(g.getID()).build()));
    long putAt = System.nanoTime();
    Recorder rec = new Recorder();
    try (Watch.Watcher w =
        client
            .getWatchClient()
            .watch(
                bs("expiring"),
                WatchOption.builder().withRevision(put.getHeader().getRevision() + 1).build(),
                rec)) {
      Poll.until(
          Duration.ofSeconds(3),
          Duration.ofMillis(20),
          () -> "key with a 2 s lease still there",
          () -> get(kv.get(bs("expiring"))).getKvs().isEmpty());
      assertThat(System.nanoTime() - putAt).isLessThan(TimeUnit.SECONDS.toNanos(3));
      List<WatchEvent> events = rec.events(1);
      assertThat(events.get(0).getEventType()).isEqualTo(WatchEvent.EventType.DELETE);
      assertThat(str(events.get(0).getKeyValue().getKey())).isEqualTo("expiring");
    }
    assertThat(get(lease.timeToLive(g.getID(), LeaseOption.DEFAULT)).getTTL()).isEqualTo(-1);
  }

  /** LeaseLeases (neither jetcd 0.8 nor its protos have it): our protos over grpc-java. */
  static List<Long> leaseIds() {
    io.grpc.MethodDescriptor<LeaseLeasesRequest, LeaseLeasesResponse> method =
        io.grpc.MethodDescriptor.<LeaseLeasesRequest, LeaseLeasesResponse>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("etcdserverpb.Lease/LeaseLeases")
            .setRequestMarshaller(new ProtoMarshaller<>(LeaseLeasesRequest.parser()))
            .setResponseMarshaller(new ProtoMarshaller<>(LeaseLeasesResponse.parser()))
            .build();
    return io.grpc.stub.ClientCalls.blockingUnaryCall(
            channel,
            method,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
            LeaseLeasesRequest.getDefaultInstance())
        .getLeasesList()
        .stream()
        .map(io.pekkoetcd.protocol.etcdserverpb.LeaseStatus::getID)
        .toList();
  }

  /** A grpc-java marshaller for one protobuf message type. */
  record ProtoMarshaller<T extends com.google.protobuf.MessageLite>(
      com.google.protobuf.Parser<T> parser) implements io.grpc.MethodDescriptor.Marshaller<T> {
    @Override
    public java.io.InputStream stream(T value) {
      return new java.io.ByteArrayInputStream(value.toByteArray());
    }

    @Override
    public T parse(java.io.InputStream stream) {
      try {
        return parser.parseFrom(stream);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** What one watcher was given. */
  static final class Recorder implements Watch.Listener {
    final java.util.concurrent.BlockingQueue<io.etcd.jetcd.watch.WatchResponse> responses =
        new java.util.concurrent.LinkedBlockingQueue<>();
    volatile int responsesWithEvents;

    @Override
    public void onNext(io.etcd.jetcd.watch.WatchResponse r) {
      if (!r.getEvents().isEmpty()) {
        responsesWithEvents++;
      }
      responses.add(r);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    List<WatchEvent> events(int n) throws InterruptedException {
      List<WatchEvent> out = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (out.size() < n) {
        var r = responses.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(r).as("response " + out.size() + " of " + n).isNotNull();
        out.addAll(r.getEvents());
      }
      return out;
    }
  }
}
