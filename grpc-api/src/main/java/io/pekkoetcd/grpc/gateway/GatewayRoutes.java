package io.pekkoetcd.grpc.gateway;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.pekkoetcd.protocol.etcdserverpb.AlarmRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthDisableRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthEnableRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthPowerApi;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleDeleteRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGetRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleListRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthStatusRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserChangePasswordRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserDeleteRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserGetRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserGrantRoleRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserListRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserRevokeRoleRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthenticateRequest;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.DefragmentRequest;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.DowngradeRequest;
import io.pekkoetcd.protocol.etcdserverpb.HashKVRequest;
import io.pekkoetcd.protocol.etcdserverpb.HashRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseKeepAliveRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseLeasesRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseTimeToLiveRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberListRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberPromoteRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberRemoveRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberUpdateRequest;
import io.pekkoetcd.protocol.etcdserverpb.MoveLeaderRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.SnapshotRequest;
import io.pekkoetcd.protocol.etcdserverpb.StatusRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.v3electionpb.CampaignRequest;
import io.pekkoetcd.protocol.v3electionpb.LeaderRequest;
import io.pekkoetcd.protocol.v3electionpb.ProclaimRequest;
import io.pekkoetcd.protocol.v3electionpb.ResignRequest;
import io.pekkoetcd.protocol.v3lockpb.LockRequest;
import io.pekkoetcd.protocol.v3lockpb.UnlockRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * The gateway's route table: every path etcd 3.4 registers with grpc-gateway (rpc.proto's {@code
 * google.api.http} options, {@code /v3/} prefix left off), plus etcd 3.5's {@code
 * maintenance/hashkv}, {@code maintenance/downgrade} and {@code auth/status} (pekko-etcd speaks
 * 3.5's API). In 3.4 {@code maintenance/hash} is Hash: HashKV's path there is the same and
 * shadowed.
 */
final class GatewayRoutes {
  private GatewayRoutes() {}

  static Map<String, GatewayRoute> table(GatewayServices s) {
    Map<String, GatewayRoute> t = new HashMap<>();
    unary(t, "kv/range", RangeRequest.getDefaultInstance(), (q, md) -> s.kv().range(q, md));
    unary(t, "kv/put", PutRequest.getDefaultInstance(), (q, md) -> s.kv().put(q, md));
    unary(
        t,
        "kv/deleterange",
        DeleteRangeRequest.getDefaultInstance(),
        (q, md) -> s.kv().deleteRange(q, md));
    unary(t, "kv/txn", TxnRequest.getDefaultInstance(), (q, md) -> s.kv().txn(q, md));
    unary(
        t,
        "kv/compaction",
        CompactionRequest.getDefaultInstance(),
        (q, md) -> s.kv().compact(q, md));

    t.put(
        "watch",
        new GatewayRoute.BidiStream(
            WatchRequest.getDefaultInstance(),
            (in, md) -> s.watch().watch(in.map(m -> (WatchRequest) m), md)));

    unary(
        t,
        "lease/grant",
        LeaseGrantRequest.getDefaultInstance(),
        (q, md) -> s.lease().leaseGrant(q, md));
    for (String path : new String[] {"lease/revoke", "kv/lease/revoke"}) {
      unary(
          t,
          path,
          LeaseRevokeRequest.getDefaultInstance(),
          (q, md) -> s.lease().leaseRevoke(q, md));
    }
    t.put(
        "lease/keepalive",
        new GatewayRoute.BidiStream(
            LeaseKeepAliveRequest.getDefaultInstance(),
            (in, md) -> s.lease().leaseKeepAlive(in.map(m -> (LeaseKeepAliveRequest) m), md)));
    for (String path : new String[] {"lease/timetolive", "kv/lease/timetolive"}) {
      unary(
          t,
          path,
          LeaseTimeToLiveRequest.getDefaultInstance(),
          (q, md) -> s.lease().leaseTimeToLive(q, md));
    }
    for (String path : new String[] {"lease/leases", "kv/lease/leases"}) {
      unary(
          t,
          path,
          LeaseLeasesRequest.getDefaultInstance(),
          (q, md) -> s.lease().leaseLeases(q, md));
    }

    unary(
        t,
        "cluster/member/add",
        MemberAddRequest.getDefaultInstance(),
        (q, md) -> s.cluster().memberAdd(q, md));
    unary(
        t,
        "cluster/member/remove",
        MemberRemoveRequest.getDefaultInstance(),
        (q, md) -> s.cluster().memberRemove(q, md));
    unary(
        t,
        "cluster/member/update",
        MemberUpdateRequest.getDefaultInstance(),
        (q, md) -> s.cluster().memberUpdate(q, md));
    unary(
        t,
        "cluster/member/list",
        MemberListRequest.getDefaultInstance(),
        (q, md) -> s.cluster().memberList(q, md));
    unary(
        t,
        "cluster/member/promote",
        MemberPromoteRequest.getDefaultInstance(),
        (q, md) -> s.cluster().memberPromote(q, md));

    unary(
        t,
        "maintenance/alarm",
        AlarmRequest.getDefaultInstance(),
        (q, md) -> s.maintenance().alarm(q, md));
    unary(
        t,
        "maintenance/status",
        StatusRequest.getDefaultInstance(),
        (q, md) -> s.maintenance().status(q, md));
    unary(
        t,
        "maintenance/defragment",
        DefragmentRequest.getDefaultInstance(),
        (q, md) -> s.maintenance().defragment(q, md));
    unary(
        t,
        "maintenance/hash",
        HashRequest.getDefaultInstance(),
        (q, md) -> s.maintenance().hash(q, md));
    unary(
        t,
        "maintenance/hashkv",
        HashKVRequest.getDefaultInstance(),
        (q, md) -> s.maintenance().hashKV(q, md));
    t.put(
        "maintenance/snapshot",
        new GatewayRoute.ServerStream(
            SnapshotRequest.getDefaultInstance(),
            (q, md) -> s.maintenance().snapshot((SnapshotRequest) q, md)));
    unary(
        t,
        "maintenance/transfer-leadership",
        MoveLeaderRequest.getDefaultInstance(),
        (q, md) -> s.maintenance().moveLeader(q, md));
    unary(
        t,
        "maintenance/downgrade",
        DowngradeRequest.getDefaultInstance(),
        (q, md) -> s.maintenance().downgrade(q, md));

    unary(t, "lock/lock", LockRequest.getDefaultInstance(), (q, md) -> s.lock().lock(q, md));
    unary(t, "lock/unlock", UnlockRequest.getDefaultInstance(), (q, md) -> s.lock().unlock(q, md));

    unary(
        t,
        "election/campaign",
        CampaignRequest.getDefaultInstance(),
        (q, md) -> s.election().campaign(q, md));
    unary(
        t,
        "election/proclaim",
        ProclaimRequest.getDefaultInstance(),
        (q, md) -> s.election().proclaim(q, md));
    unary(
        t,
        "election/leader",
        LeaderRequest.getDefaultInstance(),
        (q, md) -> s.election().leader(q, md));
    t.put(
        "election/observe",
        new GatewayRoute.ServerStream(
            LeaderRequest.getDefaultInstance(),
            (q, md) -> s.election().observe((LeaderRequest) q, md)));
    unary(
        t,
        "election/resign",
        ResignRequest.getDefaultInstance(),
        (q, md) -> s.election().resign(q, md));

    authRoutes(t, s);
    return Map.copyOf(t);
  }

  private static void authRoutes(Map<String, GatewayRoute> t, GatewayServices s) {
    auth(t, s, "auth/enable", AuthEnableRequest.getDefaultInstance(), AuthPowerApi::authEnable);
    auth(t, s, "auth/disable", AuthDisableRequest.getDefaultInstance(), AuthPowerApi::authDisable);
    auth(t, s, "auth/status", AuthStatusRequest.getDefaultInstance(), AuthPowerApi::authStatus);
    auth(
        t,
        s,
        "auth/authenticate",
        AuthenticateRequest.getDefaultInstance(),
        AuthPowerApi::authenticate);
    auth(t, s, "auth/user/add", AuthUserAddRequest.getDefaultInstance(), AuthPowerApi::userAdd);
    auth(t, s, "auth/user/get", AuthUserGetRequest.getDefaultInstance(), AuthPowerApi::userGet);
    auth(t, s, "auth/user/list", AuthUserListRequest.getDefaultInstance(), AuthPowerApi::userList);
    auth(
        t,
        s,
        "auth/user/delete",
        AuthUserDeleteRequest.getDefaultInstance(),
        AuthPowerApi::userDelete);
    auth(
        t,
        s,
        "auth/user/changepw",
        AuthUserChangePasswordRequest.getDefaultInstance(),
        AuthPowerApi::userChangePassword);
    auth(
        t,
        s,
        "auth/user/grant",
        AuthUserGrantRoleRequest.getDefaultInstance(),
        AuthPowerApi::userGrantRole);
    auth(
        t,
        s,
        "auth/user/revoke",
        AuthUserRevokeRoleRequest.getDefaultInstance(),
        AuthPowerApi::userRevokeRole);
    auth(t, s, "auth/role/add", AuthRoleAddRequest.getDefaultInstance(), AuthPowerApi::roleAdd);
    auth(t, s, "auth/role/get", AuthRoleGetRequest.getDefaultInstance(), AuthPowerApi::roleGet);
    auth(t, s, "auth/role/list", AuthRoleListRequest.getDefaultInstance(), AuthPowerApi::roleList);
    auth(
        t,
        s,
        "auth/role/delete",
        AuthRoleDeleteRequest.getDefaultInstance(),
        AuthPowerApi::roleDelete);
    auth(
        t,
        s,
        "auth/role/grant",
        AuthRoleGrantPermissionRequest.getDefaultInstance(),
        AuthPowerApi::roleGrantPermission);
    auth(
        t,
        s,
        "auth/role/revoke",
        AuthRoleRevokePermissionRequest.getDefaultInstance(),
        AuthPowerApi::roleRevokePermission);
  }

  /** An Auth path: the Auth service's method, or UNIMPLEMENTED while there is none. */
  private static <Q extends Message> void auth(
      Map<String, GatewayRoute> t, GatewayServices s, String path, Q prototype, AuthCall<Q> call) {
    unary(
        t,
        path,
        prototype,
        (q, md) ->
            s.auth()
                .<CompletionStage<? extends Message>>map(a -> call.apply(a, q, md))
                .orElseGet(GatewayRoutes::noAuthService));
  }

  /** What the client port answers for the Auth service while it is not served. */
  private static CompletionStage<? extends Message> noAuthService() {
    return CompletableFuture.failedFuture(
        new GrpcServiceException(
            Status.UNIMPLEMENTED.withDescription("unknown service etcdserverpb.Auth")));
  }

  @FunctionalInterface
  private interface AuthCall<Q> {
    CompletionStage<? extends Message> apply(AuthPowerApi auth, Q request, Metadata metadata);
  }

  @SuppressWarnings("unchecked")
  private static <Q extends Message> void unary(
      Map<String, GatewayRoute> t,
      String path,
      Q prototype,
      BiFunction<Q, Metadata, CompletionStage<? extends Message>> call) {
    t.put(path, new GatewayRoute.Unary(prototype, (q, md) -> call.apply((Q) q, md)));
  }
}
