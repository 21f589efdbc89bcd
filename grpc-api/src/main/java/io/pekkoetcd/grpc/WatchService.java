package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
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
  private final EtcdMember member;

  WatchService(EtcdMember member) {
    this.member = member;
  }

  @Override
  public Source<WatchResponse, NotUsed> watch(Source<WatchRequest, NotUsed> in, Metadata metadata) {
    if (!RequireLeader.requested(metadata)) {
      return WatchHub.serve(member.watchHub(), in, false, member.system());
    }
    return RequireLeader.ifLeader(
        member, () -> WatchHub.serve(member.watchHub(), in, true, member.system()));
  }
}
