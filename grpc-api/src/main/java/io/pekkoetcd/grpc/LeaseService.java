package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseKeepAliveRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseKeepAliveResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseLeasesRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseLeasesResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeasePowerApi;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseTimeToLiveRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseTimeToLiveResponse;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.stream.javadsl.Source;

/**
 * etcd's {@code etcdserverpb.Lease} service. Grant and revoke go through Raft; keep-alives and
 * TimeToLive are answered by the leader's lessor (a follower forwards them); LeaseLeases is local.
 * A keep-alive or TimeToLive of a missing lease is an answer (TTL 0, TTL −1), not an error. A
 * keep-alive stream opened with {@code hasleader: true} (etcdctl, Go's client) is refused with "no
 * leader" when the member knows none ({@link RequireLeader}); any keep-alive fails the stream with
 * "no leader" or "leader changed" when the leader's lessor cannot be reached.
 */
final class LeaseService implements LeasePowerApi {
  /**
   * Keep-alives of one stream in flight at once; their answers keep the stream's order. Go's client
   * multiplexes every lease of a client on one stream.
   */
  static final int KEEP_ALIVES_IN_FLIGHT = 16;

  private final EtcdMember member;

  LeaseService(EtcdMember member) {
    this.member = member;
  }

  @Override
  public CompletionStage<LeaseGrantResponse> leaseGrant(LeaseGrantRequest in, Metadata metadata) {
    return member.leaseGrant(in);
  }

  @Override
  public CompletionStage<LeaseRevokeResponse> leaseRevoke(
      LeaseRevokeRequest in, Metadata metadata) {
    return member.leaseRevoke(in);
  }

  @Override
  public Source<LeaseKeepAliveResponse, NotUsed> leaseKeepAlive(
      Source<LeaseKeepAliveRequest, NotUsed> in, Metadata metadata) {
    Source<LeaseKeepAliveResponse, NotUsed> answers =
        in.mapAsync(KEEP_ALIVES_IN_FLIGHT, r -> member.leaseKeepAlive(r.getID()));
    return NotForLearners.stream(
        member,
        () ->
            RequireLeader.requested(metadata)
                ? RequireLeader.ifLeader(member, () -> answers)
                : answers);
  }

  @Override
  public CompletionStage<LeaseTimeToLiveResponse> leaseTimeToLive(
      LeaseTimeToLiveRequest in, Metadata metadata) {
    return member.leaseTimeToLive(in);
  }

  @Override
  public CompletionStage<LeaseLeasesResponse> leaseLeases(
      LeaseLeasesRequest in, Metadata metadata) {
    return member.leaseLeases();
  }
}
