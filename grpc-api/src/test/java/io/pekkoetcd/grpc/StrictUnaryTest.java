package io.pekkoetcd.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.CompactionResponse;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.KV;
import io.pekkoetcd.protocol.etcdserverpb.KVPowerApi;
import io.pekkoetcd.protocol.etcdserverpb.KVPowerApiHandlerFactory;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Trailer;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The strict unary path answers exactly as pekko-grpc's generated handler does for the same request
 * (body, status, message), and leaves to that handler every request it does not serve.
 */
class StrictUnaryTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  static final ContentType GRPC = ContentTypes.parse("application/grpc");
  static final long LIMIT = 1024;

  /**
   * Put answers with the value's length as revision; Range fails as the MVCC store does; Txn
   * throws.
   */
  static final KVPowerApi SERVICE =
      new KVPowerApi() {
        @Override
        public CompletionStage<RangeResponse> range(
            RangeRequest in, org.apache.pekko.grpc.javadsl.Metadata md) {
          return CompletableFuture.failedFuture(new MvccException(MvccError.COMPACTED));
        }

        @Override
        public CompletionStage<PutResponse> put(
            PutRequest in, org.apache.pekko.grpc.javadsl.Metadata md) {
          return CompletableFuture.completedFuture(
              PutResponse.newBuilder()
                  .setHeader(ResponseHeader.newBuilder().setRevision(in.getValue().size()))
                  .build());
        }

        @Override
        public CompletionStage<DeleteRangeResponse> deleteRange(
            DeleteRangeRequest in, org.apache.pekko.grpc.javadsl.Metadata md) {
          return CompletableFuture.completedFuture(DeleteRangeResponse.getDefaultInstance());
        }

        @Override
        public CompletionStage<TxnResponse> txn(
            TxnRequest in, org.apache.pekko.grpc.javadsl.Metadata md) {
          throw new IllegalStateException("txn exploded");
        }

        @Override
        public CompletionStage<CompactionResponse> compact(
            CompactionRequest in, org.apache.pekko.grpc.javadsl.Metadata md) {
          return CompletableFuture.completedFuture(CompactionResponse.getDefaultInstance());
        }
      };

  final StrictUnary strict = new StrictUnary(SERVICE, LIMIT, testKit.system());
  final Function<HttpRequest, CompletionStage<HttpResponse>> generated =
      KVPowerApiHandlerFactory.create(SERVICE, ErrorTable.handler(), testKit.system());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static ByteString frame(byte[] message) {
    ByteBuffer b = ByteBuffer.allocate(5 + message.length);
    b.put((byte) 0).putInt(message.length).put(message);
    return ByteString.fromArray(b.array());
  }

  static HttpRequest request(String method, HttpEntity.Strict entity) {
    return HttpRequest.POST("/etcdserverpb.KV/" + method).withEntity(entity);
  }

  /** The strict path's answer to {@code request}, which it must serve. */
  HttpResponse strictAnswer(HttpRequest request, String method) throws Exception {
    return strict
        .handle(request, KV.name, method)
        .orElseThrow()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /**
   * What a client sees: grpc-status, grpc-message (from the trailers or a trailers-only response)
   * and the body.
   */
  record Seen(String status, String message, ByteString body) {}

  static Seen seen(HttpResponse r) throws Exception {
    ByteString body =
        r.entity()
            .toStrict(10_000, testKit.system())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .getData();
    Optional<Trailer> trailer = r.getAttribute(AttributeKeys.trailer);
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    if (trailer.isPresent()) {
      for (scala.Tuple2<String, String> h :
          CollectionConverters.asJava(
              ((org.apache.pekko.http.scaladsl.model.Trailer) trailer.get()).headers())) {
        headers.put(h._1(), h._2());
      }
    } else {
      for (HttpHeader h : r.getHeaders()) {
        headers.put(h.name(), h.value());
      }
    }
    String status = headers.get("grpc-status");
    String message = headers.get("grpc-message");
    return new Seen(status, message, body);
  }

  /**
   * The same request through both paths: the strict one must serve it, and answer what the
   * generated one does.
   */
  Seen bothPaths(String method, ByteString body) throws Exception {
    HttpEntity.Strict entity = HttpEntities.create(GRPC, body);
    Optional<CompletionStage<HttpResponse>> fast =
        strict.handle(request(method, entity), KV.name, method);
    assertThat(fast).as("served by the strict path").isPresent();
    Seen viaStrict = seen(fast.get().toCompletableFuture().get(10, TimeUnit.SECONDS));
    HttpRequest streamed =
        HttpRequest.POST("/etcdserverpb.KV/" + method)
            .withEntity(HttpEntities.create(GRPC, Source.single(body)));
    Seen viaGenerated =
        seen(generated.apply(streamed).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertThat(viaStrict).isEqualTo(viaGenerated);
    return viaStrict;
  }

  @Test
  void answersAsTheGeneratedHandlerDoes() throws Exception {
    PutRequest put =
        PutRequest.newBuilder()
            .setKey(com.google.protobuf.ByteString.copyFromUtf8("k"))
            .setValue(com.google.protobuf.ByteString.copyFromUtf8("value"))
            .build();
    Seen ok = bothPaths("Put", frame(put.toByteArray()));
    assertThat(ok.status()).isEqualTo("0");
    assertThat(PutResponse.parseFrom(ok.body().drop(5).toArray()).getHeader().getRevision())
        .isEqualTo(5);

    Seen compacted = bothPaths("Range", frame(RangeRequest.getDefaultInstance().toByteArray()));
    assertThat(compacted.status()).isEqualTo(String.valueOf(Status.Code.OUT_OF_RANGE.value()));
    assertThat(compacted.message()).contains("compacted");

    Seen thrown = bothPaths("Txn", frame(TxnRequest.getDefaultInstance().toByteArray()));
    assertThat(thrown.status()).isEqualTo(String.valueOf(Status.Code.UNKNOWN.value()));
    assertThat(thrown.message()).contains("txn exploded");

    // A protobuf that does not parse, and a frame whose length says more than it holds.
    // grpc-go's answers: INTERNAL "grpc: error unmarshalling request: ...", and status.Convert of
    // the reader's
    // io.ErrUnexpectedEOF / io.EOF.
    Seen garbage = bothPaths("Put", frame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));
    assertThat(garbage.status()).isEqualTo(String.valueOf(Status.Code.INTERNAL.value()));
    assertThat(garbage.message()).startsWith("grpc: error unmarshalling request: ");
    Seen truncated = bothPaths("Put", frame(put.toByteArray()).dropRight(2));
    assertThat(truncated).isEqualTo(new Seen("2", "unexpected EOF", ByteString.emptyByteString()));
    Seen empty = bothPaths("Put", ByteString.emptyByteString());
    assertThat(empty).isEqualTo(new Seen("2", "EOF", ByteString.emptyByteString()));
  }

  /**
   * A grpc-java client accepts gzip answers; pekko-grpc alone would then compress every answer (the
   * premise, checked here so this test fails if that ever changes), the client port does not.
   */
  @Test
  void answersAreNotCompressedForAClientThatAcceptsGzip() throws Exception {
    PutRequest put =
        PutRequest.newBuilder().setValue(com.google.protobuf.ByteString.copyFromUtf8("v")).build();
    HttpRequest acceptsGzip =
        request("Put", HttpEntities.create(GRPC, frame(put.toByteArray())))
            .addHeader(HttpHeader.parse("grpc-accept-encoding", "gzip"));

    HttpResponse compressed = strictAnswer(acceptsGzip, "Put");
    assertThat(compressed.getHeader("grpc-encoding").map(HttpHeader::value)).contains("gzip");

    HttpRequest call = ClientServer.answeredUncompressed(acceptsGzip);
    HttpResponse plain = strictAnswer(call, "Put");
    assertThat(plain.getHeader("grpc-encoding").map(HttpHeader::value))
        .isNotEqualTo(Optional.of("gzip"));
    Seen answer = seen(plain);
    assertThat(answer.status()).isEqualTo("0");
    assertThat(answer.body().apply(0)).as("the frame's compressed flag").isEqualTo((byte) 0);
    assertThat(PutResponse.parseFrom(answer.body().drop(5).toArray()).getHeader().getRevision())
        .isEqualTo(1);
  }

  @Test
  void bodiesOverTheReceiveLimitAreRefusedAsOnTheStreamedPath() throws Exception {
    byte[] value = new byte[(int) LIMIT];
    PutRequest put =
        PutRequest.newBuilder().setValue(com.google.protobuf.ByteString.copyFrom(value)).build();
    HttpEntity.Strict entity = HttpEntities.create(GRPC, frame(put.toByteArray()));
    Seen refused = seen(strictAnswer(request("Put", entity), "Put"));
    assertThat(refused.status()).isEqualTo(String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value()));
    assertThat(refused.message())
        .isEqualTo(
            "grpc: received message larger than max ("
                + entity.getData().size()
                + " vs. "
                + LIMIT
                + ")");
  }

  @Test
  void leavesEverythingElseToTheGeneratedHandler() {
    HttpEntity.Strict entity =
        HttpEntities.create(GRPC, frame(PutRequest.getDefaultInstance().toByteArray()));
    // A streamed body, another service, an unknown method, a body that is not gRPC.
    HttpRequest streamed =
        HttpRequest.POST("/etcdserverpb.KV/Put")
            .withEntity(HttpEntities.create(GRPC, Source.single(entity.getData())));
    assertThat(strict.handle(streamed, KV.name, "Put")).isEmpty();
    assertThat(strict.handle(request("Put", entity), "etcdserverpb.Maintenance", "Put")).isEmpty();
    assertThat(strict.handle(request("Nope", entity), KV.name, "Nope")).isEmpty();
    HttpRequest json =
        HttpRequest.POST("/etcdserverpb.KV/Put")
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{}"));
    assertThat(strict.handle(json, KV.name, "Put")).isEmpty();
  }
}
