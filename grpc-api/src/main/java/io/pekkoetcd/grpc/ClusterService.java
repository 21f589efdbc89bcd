package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.ClusterPowerApi;
import io.pekkoetcd.protocol.etcdserverpb.MemberAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberAddResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberListRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberListResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberPromoteRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberPromoteResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberRemoveRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberRemoveResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberUpdateRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberUpdateResponse;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * etcd's {@code etcdserverpb.Cluster} service: MemberList, and MemberAdd, MemberRemove,
 * MemberUpdate and MemberPromote as Raft configuration changes ({@link EtcdMember}); those four are
 * admin-only with auth enabled, MemberList is open to anyone (etcd 3.4).
 */
final class ClusterService implements ClusterPowerApi {
  private final EtcdMember member;
  private final AuthGuard guard;

  ClusterService(EtcdMember member, AuthGuard guard) {
    this.member = member;
    this.guard = guard;
  }

  @Override
  public CompletionStage<MemberListResponse> memberList(MemberListRequest in, Metadata md) {
    return member.memberList();
  }

  @Override
  public CompletionStage<MemberAddResponse> memberAdd(MemberAddRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> member.memberAdd(in));
  }

  @Override
  public CompletionStage<MemberRemoveResponse> memberRemove(MemberRemoveRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> member.memberRemove(in));
  }

  @Override
  public CompletionStage<MemberUpdateResponse> memberUpdate(MemberUpdateRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> member.memberUpdate(in));
  }

  @Override
  public CompletionStage<MemberPromoteResponse> memberPromote(
      MemberPromoteRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> member.memberPromote(in));
  }
}
