package io.pekkoetcd.grpc;

import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.grpc.GrpcServiceException;

/**
 * etcd RPCs that pekko-etcd does not serve yet answer gRPC UNIMPLEMENTED, never a hang or a bare
 * HTTP error.
 */
final class Unimplemented {
  private Unimplemented() {}

  static <T> CompletionStage<T> rpc(String fullMethod) {
    return CompletableFuture.failedFuture(
        new GrpcServiceException(
            Status.UNIMPLEMENTED.withDescription("unknown method " + fullMethod)));
  }
}
