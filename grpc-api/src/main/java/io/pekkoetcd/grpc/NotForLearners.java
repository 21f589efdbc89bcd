package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * etcd's stream interceptor on a learner: every streaming RPC (Watch, LeaseKeepAlive, Snapshot,
 * Observe) is refused at once with Unavailable "etcdserver: rpc not supported for learner". Unary
 * calls are refused where they reach Raft or a linearizable read ({@link EtcdMember}).
 */
final class NotForLearners {
  private NotForLearners() {}

  /** {@code stream}, or a stream failing as etcd's if this member is a learner now. */
  static <T> Source<T, NotUsed> stream(EtcdMember member, Supplier<Source<T, NotUsed>> stream) {
    return member.isLearner()
        ? Source.failed(new ServerException(ServerError.NOT_SUPPORTED_FOR_LEARNER))
        : stream.get();
  }
}
