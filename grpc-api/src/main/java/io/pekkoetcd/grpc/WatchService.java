package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.protocol.etcdserverpb.WatchPowerApi;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.watch.WatchHub;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.stream.javadsl.Source;

/**
 * etcd's {@code etcdserverpb.Watch} service: each call is one stream of the member's {@link
 * WatchHub}.
 *
 * <p>A call with request metadata {@code hasleader: true} (etcd's {@code
 * rpctypes.MetadataRequireLeaderKey}, sent by etcdctl watch, Go's {@code
 * clientv3.WithRequireLeader} and jetcd's {@code withRequireLeader}) is refused with Unavailable
 * "etcdserver: no leader" if the member knows no leader when it opens, and ended with that error if
 * the member then goes three election timeouts without one (see {@code LeaderMonitor}). Other calls
 * are served from the local member whatever the leader.
 */
final class WatchService implements WatchPowerApi {
  /** etcd's metadata key and the one value that requires a leader. */
  static final String REQUIRE_LEADER_KEY = "hasleader";

  static final String REQUIRE_LEADER_VALUE = "true";

  private final EtcdMember member;

  WatchService(EtcdMember member) {
    this.member = member;
  }

  @Override
  public Source<WatchResponse, NotUsed> watch(Source<WatchRequest, NotUsed> in, Metadata metadata) {
    boolean requireLeader =
        metadata.getText(REQUIRE_LEADER_KEY).map(REQUIRE_LEADER_VALUE::equals).orElse(false);
    if (!requireLeader) {
      return WatchHub.serve(member.watchHub(), in, false, member.system());
    }
    return Source.completionStageSource(
            member
                .leader()
                .thenApply(
                    leader ->
                        leader == 0
                            ? Source.<WatchResponse>failed(
                                new ServerException(ServerError.NO_LEADER))
                            : WatchHub.serve(member.watchHub(), in, true, member.system())))
        .mapMaterializedValue(m -> NotUsed.notUsed());
  }
}
