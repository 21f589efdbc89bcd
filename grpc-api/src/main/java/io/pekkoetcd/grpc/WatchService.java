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
  private final AuthGuard guard;

  WatchService(EtcdMember member, AuthGuard guard) {
    this.member = member;
    this.guard = guard;
  }

  /**
   * With auth enabled, each create request needs READ on its range (etcd 3.4): a refused one is not
   * served but answered created and canceled at once, watch ID -1, etcd's error as cancel reason;
   * the stream stays open.
   */
  @Override
  public Source<WatchResponse, NotUsed> watch(Source<WatchRequest, NotUsed> in, Metadata metadata) {
    return NotForLearners.stream(member, () -> watchChecked(in, metadata));
  }

  private Source<WatchResponse, NotUsed> watchChecked(
      Source<WatchRequest, NotUsed> in, Metadata metadata) {
    org.apache.pekko.japi.Pair<
            org.apache.pekko.stream.BoundedSourceQueue<WatchResponse>,
            Source<WatchResponse, NotUsed>>
        refusals =
            Source.<WatchResponse>queue(64)
                .preMaterialize(
                    org.apache.pekko.stream.Materializer.matFromSystem(member.system()));
    Source<WatchRequest, NotUsed> checked =
        in.filter(
            r -> {
              if (!r.hasCreateRequest()) {
                return true;
              }
              var create = r.getCreateRequest();
              var refused =
                  guard.refusal(metadata, c -> c.read(create.getKey(), create.getRangeEnd()));
              refused.ifPresent(
                  e ->
                      refusals
                          .first()
                          .offer(
                              WatchResponse.newBuilder()
                                  .setHeader(
                                      io.pekkoetcd.protocol.etcdserverpb.ResponseHeader.newBuilder()
                                          .setClusterId(member.config().clusterId())
                                          .setMemberId(member.config().memberId())
                                          .setRevision(member.currentRevision()))
                                  .setWatchId(-1)
                                  .setCreated(true)
                                  .setCanceled(true)
                                  .setCancelReason(goError(ErrorTable.of(e)))
                                  .build()));
              return refused.isEmpty();
            });
    return served(checked, metadata).merge(refusals.second(), true);
  }

  /**
   * A status as Go prints a gRPC error ({@code status.Error(...).Error()}), which is what etcd puts
   * in the cancel reason of a refused watch: "rpc error: code = InvalidArgument desc = …".
   */
  static String goError(io.grpc.Status s) {
    StringBuilder code = new StringBuilder();
    for (String part : s.getCode().name().split("_")) {
      code.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return "rpc error: code = " + code + " desc = " + s.getDescription();
  }

  private Source<WatchResponse, NotUsed> served(
      Source<WatchRequest, NotUsed> in, Metadata metadata) {
    if (!RequireLeader.requested(metadata)) {
      return WatchHub.serve(member.watchHub(), in, false, member.system());
    }
    return RequireLeader.ifLeader(
        member, () -> WatchHub.serve(member.watchHub(), in, true, member.system()));
  }
}
