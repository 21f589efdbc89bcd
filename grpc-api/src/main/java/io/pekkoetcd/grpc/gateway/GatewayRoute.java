package io.pekkoetcd.grpc.gateway;

import com.google.protobuf.Message;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One {@code /v3/*} path of the gateway: the request message it reads and the service method it
 * calls, of the three kinds grpc-gateway distinguishes. The call is the gRPC service object's own
 * method, given the request and the call's metadata (the token, {@code Grpc-Metadata-*} headers).
 */
sealed interface GatewayRoute {
  /** The request message every body is read into. */
  Message prototype();

  /** One request, one answer. */
  record Unary(
      Message prototype, BiFunction<Message, Metadata, CompletionStage<? extends Message>> call)
      implements GatewayRoute {}

  /** One request, a stream of answers ({@code Election.Observe}, {@code Maintenance.Snapshot}). */
  record ServerStream(
      Message prototype, BiFunction<Message, Metadata, Source<? extends Message, NotUsed>> call)
      implements GatewayRoute {}

  /** A stream both ways ({@code Watch}, {@code LeaseKeepAlive}). */
  record BidiStream(
      Message prototype,
      BiFunction<Source<Message, NotUsed>, Metadata, Source<? extends Message, NotUsed>> call)
      implements GatewayRoute {}
}
