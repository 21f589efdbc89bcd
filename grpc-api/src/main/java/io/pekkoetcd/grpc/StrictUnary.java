package io.pekkoetcd.grpc;

import io.pekkoetcd.protocol.etcdserverpb.KV;
import io.pekkoetcd.protocol.etcdserverpb.KVPowerApi;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.ProtobufSerializer;
import org.apache.pekko.grpc.internal.MissingParameterException;
import org.apache.pekko.grpc.javadsl.GrpcExceptionHandler;
import org.apache.pekko.grpc.javadsl.GrpcMarshalling;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.grpc.javadsl.MetadataBuilder;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.util.ByteString;
import scala.Option;

/**
 * The unary methods of etcd's KV service served without a stream, for requests whose body arrived
 * whole.
 *
 * <p>Why: pekko-grpc's Java handlers read every request body by running a stream, which creates and
 * stops an actor per request; on the put path that was the largest single cost in the profile. The
 * client port collects a request that fits in one HTTP/2 DATA frame into a strict entity ({@code
 * http2.min-collect-strict-entity-size = 1}), and this class decodes its one gRPC frame, calls the
 * service and answers with pekko-grpc's own (strict) response and error handling, so a client
 * cannot tell the paths apart. Everything else, larger bodies included, goes to the generated
 * handler as before.
 *
 * <p>Contract: {@link #handle} answers only for a KV method with a strict entity and a gRPC content
 * type it can negotiate; otherwise it returns empty and the caller serves the request as usual. The
 * receive limit is the same as on the streamed path: a body longer than {@code receiveLimit} bytes
 * (frame header included) is refused with {@link EntityStreamSizeException}, which the error table
 * maps to etcd's RESOURCE_EXHAUSTED.
 */
final class StrictUnary {

  /** One unary method: how its request is read, how its response is written, what serves it. */
  private record Method<Q, R>(
      ProtobufSerializer<Q> request,
      ProtobufSerializer<R> response,
      java.util.function.BiFunction<Q, Metadata, CompletionStage<R>> call) {

    CompletionStage<R> serve(ByteString payload, Metadata md) {
      try {
        return call.apply(request.deserialize(payload), md);
      } catch (
          Exception e) { // also protobuf's InvalidProtocolBufferException, which deserialize throws
        // unchecked
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  private final Map<String, Method<?, ?>> kv;
  private final long receiveLimit;
  private final ActorSystem<?> system;

  StrictUnary(KVPowerApi service, long receiveLimit, ActorSystem<?> system) {
    this.kv =
        Map.of(
            "Range",
            new Method<>(
                KV.Serializers.RangeRequestSerializer,
                KV.Serializers.RangeResponseSerializer,
                service::range),
            "Put",
            new Method<>(
                KV.Serializers.PutRequestSerializer,
                KV.Serializers.PutResponseSerializer,
                service::put),
            "DeleteRange",
            new Method<>(
                KV.Serializers.DeleteRangeRequestSerializer,
                KV.Serializers.DeleteRangeResponseSerializer,
                service::deleteRange),
            "Txn",
            new Method<>(
                KV.Serializers.TxnRequestSerializer,
                KV.Serializers.TxnResponseSerializer,
                service::txn),
            "Compact",
            new Method<>(
                KV.Serializers.CompactionRequestSerializer,
                KV.Serializers.CompactionResponseSerializer,
                service::compact));
    this.receiveLimit = receiveLimit;
    this.system = system;
  }

  /**
   * The response to {@code request} for {@code service}/{@code method}, if this path serves it (see
   * class doc).
   */
  Optional<CompletionStage<HttpResponse>> handle(
      HttpRequest request, String service, String method) {
    if (!KV.name.equals(service) || !(request.entity() instanceof HttpEntity.Strict strict)) {
      return Optional.empty();
    }
    Method<?, ?> m = kv.get(method);
    if (m == null) {
      return Optional.empty();
    }
    return GrpcMarshalling.negotiated(
        request,
        (reader, writer) -> {
          CompletionStage<HttpResponse> response;
          ByteString data = strict.getData();
          if (data.size() > receiveLimit) {
            response =
                CompletableFuture.failedFuture(
                    EntityStreamSizeException.apply(
                        receiveLimit, Option.apply((Object) (long) data.size())));
          } else {
            try {
              response =
                  serve(m, reader.decodeSingleFrame().apply(data), metadata(request), writer);
            } catch (
                Throwable e) { // pekko-grpc signals a body that is not one whole frame with a bare
              // Throwable
              response = CompletableFuture.failedFuture(malformed(e, data));
            }
          }
          return response.exceptionally(
              e -> GrpcExceptionHandler.standard(e, ErrorTable.handler(), writer, system));
        });
  }

  /**
   * The failure to report for {@code e} thrown while decoding {@code data}: a cut-off frame fails
   * as it does on the streamed path ({@link ErrorTable#TRUNCATED_FRAME}), so that the error table
   * answers the same for both.
   */
  private static Throwable malformed(Throwable e, ByteString data) {
    if (e instanceof VirtualMachineError fatal) {
      throw fatal;
    }
    if (e instanceof MissingParameterException && !data.isEmpty()) {
      return new IllegalStateException(ErrorTable.TRUNCATED_FRAME);
    }
    return e;
  }

  /** The call's metadata, as pekko-grpc's handlers give it: the request's text headers. */
  private static Metadata metadata(HttpRequest request) {
    MetadataBuilder md = new MetadataBuilder();
    for (HttpHeader h : request.getHeaders()) {
      if (!h.lowercaseName().endsWith("-bin")) {
        md.addText(h.lowercaseName(), h.value());
      }
    }
    return md.build();
  }

  private <Q, R> CompletionStage<HttpResponse> serve(
      Method<Q, R> m,
      ByteString payload,
      Metadata md,
      org.apache.pekko.grpc.GrpcProtocol.GrpcProtocolWriter writer) {
    return m.serve(payload, md)
        .thenApply(
            r -> GrpcMarshalling.marshal(r, m.response(), writer, system, ErrorTable.handler()));
  }
}
