package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.Watch;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.watch.WatchHub;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/** etcd's {@code etcdserverpb.Watch} service: each call is one stream of the member's {@link WatchHub}. */
final class WatchService implements Watch {
  private final EtcdMember member;

  WatchService(EtcdMember member) {
    this.member = member;
  }

  @Override
  public Source<WatchResponse, NotUsed> watch(Source<WatchRequest, NotUsed> in) {
    return WatchHub.serve(member.watchHub(), in, member.system());
  }
}
