package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.stream.javadsl.Source;

/**
 * etcd's {@code hasleader} stream metadata ({@code rpctypes.MetadataRequireLeaderKey}, sent by
 * etcdctl watch and lease keep-alive, Go's {@code clientv3.WithRequireLeader} and jetcd's {@code
 * withRequireLeader}): such a stream is refused with Unavailable "etcdserver: no leader" if the
 * member knows no leader when it opens.
 */
final class RequireLeader {
  private RequireLeader() {}

  /** etcd's metadata key and the one value that requires a leader. */
  static final String KEY = "hasleader";

  static final String VALUE = "true";

  static boolean requested(Metadata metadata) {
    return metadata.getText(KEY).map(VALUE::equals).orElse(false);
  }

  /** {@code stream}, or a stream failing with "no leader" if the member knows none now. */
  static <T> Source<T, NotUsed> ifLeader(EtcdMember member, Supplier<Source<T, NotUsed>> stream) {
    return Source.completionStageSource(
            member
                .leader()
                .thenApply(
                    leader ->
                        leader == 0
                            ? Source.<T>failed(new ServerException(ServerError.NO_LEADER))
                            : stream.get()))
        .mapMaterializedValue(m -> NotUsed.notUsed());
  }
}
