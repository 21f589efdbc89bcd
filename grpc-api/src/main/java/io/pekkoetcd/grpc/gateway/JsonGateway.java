package io.pekkoetcd.grpc.gateway;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.pekkoetcd.grpc.ErrorTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.grpc.javadsl.MetadataBuilder;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * etcd's grpc-gateway on the client port: {@code POST /v3/<path>} (and {@code /v3beta/<path>}, the
 * alias etcd 3.4 still serves) with a JSON request body, answered in JSON as etcd 3.4 answers it.
 * Every path calls the same service object as the gRPC handler ({@link GatewayServices}), so the
 * gateway adds only the encoding: {@link GatewayJson} for messages, {@link GatewayStatus} for
 * errors, whose status always comes from {@link ErrorTable}.
 *
 * <p>Unary calls answer one object. Streams ({@code watch}, {@code lease/keepalive}, {@code
 * election/observe}, {@code maintenance/snapshot}) answer chunked, one {@code {"result":…}} per
 * line; a stream's request body may hold several JSON objects, read one after the other. A
 * WebSocket upgrade on any path is served as etcd's wsproxy does ({@link GatewayWebSocket}).
 *
 * <p>The {@code Authorization} header reaches every call as gRPC metadata {@code authorization}
 * (grpc-gateway's name) and {@code token} (the name etcd reads first), {@code Grpc-Metadata-<k>}
 * headers as metadata {@code <k>}, as grpc-gateway forwards them.
 */
public final class JsonGateway {
  /** The CORS headers etcd puts on every answer of its client HTTP handler. */
  static final List<HttpHeader> CORS =
      List.of(
          RawHeader.create("Access-Control-Allow-Headers", "accept, content-type, authorization"),
          RawHeader.create("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE"),
          RawHeader.create("Access-Control-Allow-Origin", "*"));

  private static final HttpHeader GRPC_CONTENT_TYPE =
      RawHeader.create("Grpc-Metadata-Content-Type", "application/grpc");

  private static final HttpHeader GRPC_TRAILER =
      RawHeader.create("Grpc-Trailer-Content-Type", "application/grpc");

  private static final long BODY_TIMEOUT_MILLIS = 30_000;

  private final Map<String, GatewayRoute> routes;
  private final Materializer mat;
  private final long maxBodyBytes;
  private final GatewayWebSocket webSocket;

  /**
   * @param maxBodyBytes the longest request body read (a longer one answers as gRPC does for a
   *     message over the receive limit)
   */
  public JsonGateway(GatewayServices services, ActorSystem<?> system, long maxBodyBytes) {
    this.routes = GatewayRoutes.table(services);
    this.mat = Materializer.matFromSystem(system);
    this.maxBodyBytes = maxBodyBytes;
    this.webSocket = new GatewayWebSocket(mat, maxBodyBytes);
  }

  /** The answer for {@code request} if its path is the gateway's, else empty. */
  public Optional<CompletionStage<HttpResponse>> handle(HttpRequest request) {
    String path = request.getUri().path();
    String rest;
    if (path.startsWith("/v3/")) {
      rest = path.substring("/v3/".length());
    } else if (path.startsWith("/v3beta/")) {
      rest = path.substring("/v3beta/".length());
    } else if (path.startsWith("/v3alpha/")) {
      // gone in 3.4: Go's mux answers it (Patroni probes it to choose its prefix)
      request.discardEntityBytes(mat);
      return Optional.of(done(plainText(404, "404 page not found\n")));
    } else {
      return Optional.empty();
    }
    return Optional.of(serve(request, rest));
  }

  private CompletionStage<HttpResponse> serve(HttpRequest request, String path) {
    if (request.method().equals(HttpMethods.OPTIONS)) {
      request.discardEntityBytes(mat);
      return done(HttpResponse.create().addHeaders(CORS));
    }
    GatewayRoute route = routes.get(path);
    if (route == null) {
      request.discardEntityBytes(mat);
      return done(plainText(404, "Not Found\n"));
    }
    Metadata metadata = metadata(request);
    Optional<org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade> upgrade =
        request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent()) {
      return done(webSocket.upgrade(upgrade.get(), route, metadata));
    }
    if (!request.method().equals(HttpMethods.POST)) {
      request.discardEntityBytes(mat);
      return done(plainText(405, "Method Not Allowed\n"));
    }
    if (route instanceof GatewayRoute.BidiStream bidi) {
      return bidi(bidi, request.entity().getDataBytes(), metadata);
    }
    return request
        .entity()
        .toStrict(BODY_TIMEOUT_MILLIS, maxBodyBytes, mat)
        .thenCompose(body -> answer(route, body.getData().toArray(), metadata))
        .exceptionally(failure -> failed(ErrorTable.of(failure)));
  }

  private CompletionStage<HttpResponse> answer(GatewayRoute route, byte[] body, Metadata md) {
    GoJson json = new GoJson(body);
    Message request;
    try {
      request = readOne(json, route.prototype());
    } catch (GatewayJson.DecodeException e) {
      return done(failed(Status.INVALID_ARGUMENT.withDescription(e.getMessage())));
    }
    if (route instanceof GatewayRoute.ServerStream server) {
      return stream(() -> server.call().apply(request, md));
    }
    GatewayRoute.Unary unary = (GatewayRoute.Unary) route;
    return call(() -> unary.call().apply(request, md))
        .handle(
            (answer, failure) ->
                failure == null
                    ? json(200, GatewayJson.print(answer)).addHeader(GRPC_CONTENT_TYPE)
                    : callFailed(ErrorTable.of(failure)));
  }

  /**
   * A stream both ways over HTTP: its requests are decoded from the body as it arrives; the answer
   * starts once the first is read. If the first does not decode, grpc-gateway hands its error back
   * as is: Unknown, HTTP 500; a later one only ends the requests.
   */
  private CompletionStage<HttpResponse> bidi(
      GatewayRoute.BidiStream route, Source<ByteString, Object> body, Metadata md) {
    return body.via(GatewayRequests.decoder(route.prototype(), maxBodyBytes))
        .prefixAndTail(1)
        .runWith(Sink.head(), mat)
        .thenCompose(
            split -> {
              List<GatewayRequests.Decoded> first = split.first();
              if (!first.isEmpty() && first.get(0).request().isEmpty()) {
                split.second().runWith(Sink.ignore(), mat);
                return done(failed(Status.UNKNOWN.withDescription(first.get(0).failure())));
              }
              Source<Message, NotUsed> requests =
                  Source.from(first)
                      .concat(split.second())
                      .filter(d -> d.request().isPresent())
                      .map(d -> d.request().get());
              return stream(() -> route.call().apply(requests, md));
            });
  }

  /** The request of a unary call: the body's first value; an empty body is the empty request. */
  static Message readOne(GoJson json, Message prototype) throws GatewayJson.DecodeException {
    return readNext(json, prototype).orElse(prototype);
  }

  private static Optional<Message> readNext(GoJson json, Message prototype)
      throws GatewayJson.DecodeException {
    GoJson.Read read = json.next();
    if (read instanceof GoJson.End) {
      return Optional.empty();
    }
    if (read instanceof GoJson.Failed f) {
      throw new GatewayJson.DecodeException(f.message());
    }
    Message.Builder builder = prototype.newBuilderForType();
    GatewayJson.read(((GoJson.Parsed) read).value(), builder);
    return Optional.of(builder.build());
  }

  /**
   * A stream's answer: chunked, one {@code {"result":…}} line per message; a failure is the last
   * chunk, in grpc-gateway's stream error form. A stream that fails before its first message
   * answers with the failure's HTTP status.
   */
  private CompletionStage<HttpResponse> stream(
      java.util.function.Supplier<Source<? extends Message, NotUsed>> open) {
    Source<Chunk, NotUsed> chunks;
    try {
      chunks = chunks(open.get());
    } catch (RuntimeException e) {
      chunks = Source.single(Chunk.of(ErrorTable.of(e)));
    }
    return chunks
        .prefixAndTail(1)
        .runWith(Sink.head(), mat)
        .thenApply(
            split -> {
              List<Chunk> first = split.first();
              int status = first.isEmpty() ? 200 : first.get(0).httpStatus();
              Source<ByteString, NotUsed> body =
                  Source.from(first)
                      .concat(split.second())
                      .map(c -> ByteString.fromString(c.text(), StandardCharsets.UTF_8));
              HttpResponse response =
                  HttpResponse.create()
                      .withStatus(status)
                      .addHeaders(CORS)
                      .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, body));
              return status == 200 ? response.addHeader(GRPC_CONTENT_TYPE) : response;
            });
  }

  /** One line of a stream's answer, with the HTTP status it would give as the first one. */
  record Chunk(int httpStatus, String text) {
    static Chunk of(Status failure) {
      return new Chunk(
          GatewayStatus.httpStatus(failure.getCode()), GatewayStatus.streamError(failure));
    }
  }

  static Source<Chunk, NotUsed> chunks(Source<? extends Message, NotUsed> answers) {
    return answers
        .<Chunk>map(m -> new Chunk(200, GatewayStatus.result(GatewayJson.print(m)) + "\n"))
        .recover(
            new PFBuilder<Throwable, Chunk>().matchAny(t -> Chunk.of(ErrorTable.of(t))).build());
  }

  /** A unary call's answer, a synchronous failure of the service included. */
  static CompletionStage<? extends Message> call(
      java.util.function.Supplier<CompletionStage<? extends Message>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The gRPC metadata grpc-gateway gives a call for these HTTP headers. */
  static Metadata metadata(HttpRequest request) {
    MetadataBuilder md = new MetadataBuilder();
    // etcd ignores client certificates on gateway calls (AuthGuard reads this mark)
    md.addText("pekko-etcd-gateway", "1");
    for (HttpHeader h : request.getHeaders()) {
      String name = h.lowercaseName();
      if (name.equals("authorization")) {
        md.addText("authorization", h.value());
        md.addText("token", h.value());
      } else if (name.startsWith("grpc-metadata-pekko-etcd-")) {
        // pekko-etcd's own call metadata (the client certificate's CN) never comes from a client
      } else if (name.startsWith("grpc-metadata-") && name.length() > "grpc-metadata-".length()) {
        md.addText(name.substring("grpc-metadata-".length()).toLowerCase(Locale.ROOT), h.value());
      }
    }
    return md.build();
  }

  /**
   * A unary call's failure as grpc-gateway answers it: chunked, the gRPC trailers forwarded as an
   * HTTP trailer ({@code Grpc-Trailer-Content-Type}), announced in a {@code Trailer} header.
   */
  static HttpResponse callFailed(Status status) {
    List<org.apache.pekko.http.scaladsl.model.HttpEntity.ChunkStreamPart> parts =
        List.of(
            (org.apache.pekko.http.scaladsl.model.HttpEntity.ChunkStreamPart)
                HttpEntity.ChunkStreamPart.create(
                    ByteString.fromString(GatewayStatus.errorBody(status), StandardCharsets.UTF_8)),
            (org.apache.pekko.http.scaladsl.model.HttpEntity.ChunkStreamPart)
                HttpEntity.ChunkStreamPart.createLast("", List.of(GRPC_TRAILER)));
    return HttpResponse.create()
        .withStatus(GatewayStatus.httpStatus(status.getCode()))
        .addHeaders(CORS)
        .addHeader(RawHeader.create("Trailer", "Grpc-Trailer-Content-Type"))
        .withEntity(
            org.apache.pekko.http.scaladsl.model.HttpEntity.Chunked$.MODULE$.apply(
                (org.apache.pekko.http.scaladsl.model.ContentType) ContentTypes.APPLICATION_JSON,
                Source.from(parts).<Object>mapMaterializedValue(m -> m).asScala()));
  }

  /** A failure before any call (a body that does not decode): one JSON object, no trailer. */
  static HttpResponse failed(Status status) {
    return json(GatewayStatus.httpStatus(status.getCode()), GatewayStatus.errorBody(status));
  }

  private static HttpResponse json(int status, String body) {
    return HttpResponse.create()
        .withStatus(status)
        .addHeaders(CORS)
        .withEntity(ContentTypes.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse plainText(int status, String body) {
    return HttpResponse.create()
        .withStatus(status)
        .addHeaders(CORS)
        .addHeader(RawHeader.create("X-Content-Type-Options", "nosniff"))
        .withEntity(ContentTypes.TEXT_PLAIN_UTF8, body);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
