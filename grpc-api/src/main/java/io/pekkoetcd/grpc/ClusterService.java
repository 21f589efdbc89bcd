package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.Cluster;
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

/**
 * etcd's {@code etcdserverpb.Cluster} service: MemberList, and MemberAdd, MemberRemove,
 * MemberUpdate and MemberPromote as Raft configuration changes ({@link EtcdMember}).
 */
final class ClusterService implements Cluster {
  private final EtcdMember member;

  ClusterService(EtcdMember member) {
    this.member = member;
  }

  @Override
  public CompletionStage<MemberListResponse> memberList(MemberListRequest in) {
    return member.memberList();
  }

  @Override
  public CompletionStage<MemberAddResponse> memberAdd(MemberAddRequest in) {
    return member.memberAdd(in);
  }

  @Override
  public CompletionStage<MemberRemoveResponse> memberRemove(MemberRemoveRequest in) {
    return member.memberRemove(in);
  }

  @Override
  public CompletionStage<MemberUpdateResponse> memberUpdate(MemberUpdateRequest in) {
    return member.memberUpdate(in);
  }

  @Override
  public CompletionStage<MemberPromoteResponse> memberPromote(MemberPromoteRequest in) {
    return member.memberPromote(in);
  }
}
