package io.pekkoetcd.grpc.gateway;

import com.google.protobuf.Message;
import io.pekkoetcd.grpc.ErrorTable;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.MergeHub;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The gateway over a WebSocket, as etcd's wsproxy (tmc/grpc-websocket-proxy) serves it: each
 * message the client sends is part of the request body (one or more JSON requests), each line of
 * the answer is one text message ({@code {"result":…}} for streams, the answer itself for unary
 * calls). Closing either side ends the call. A message that does not decode ends the requests, as
 * it ends a stream's request body over HTTP.
 */
final class GatewayWebSocket {
  private final Materializer mat;
  private final long maxBodyBytes;

  GatewayWebSocket(Materializer mat, long maxBodyBytes) {
    this.mat = mat;
    this.maxBodyBytes = maxBodyBytes;
  }

  HttpResponse upgrade(WebSocketUpgrade upgrade, GatewayRoute route, Metadata md) {
    Flow<org.apache.pekko.http.javadsl.model.ws.Message, Message, NotUsed> requests =
        requests(route.prototype());
    Flow<
            org.apache.pekko.http.javadsl.model.ws.Message,
            org.apache.pekko.http.javadsl.model.ws.Message,
            NotUsed>
        flow;
    if (route instanceof GatewayRoute.BidiStream bidi) {
      // the client's messages feed the call's request stream for as long as the socket is open
      Pair<Sink<Message, NotUsed>, Source<Message, NotUsed>> in =
          MergeHub.of(Message.class, 16).preMaterialize(mat);
      flow =
          Flow.fromSinkAndSourceCoupled(
              requests.to(in.first()), lines(JsonGateway.chunks(open(bidi, in.second(), md))));
    } else if (route instanceof GatewayRoute.ServerStream server) {
      flow =
          requests
              .take(1)
              .flatMapConcat(q -> lines(JsonGateway.chunks(server.call().apply(q, md))));
    } else {
      GatewayRoute.Unary unary = (GatewayRoute.Unary) route;
      flow =
          requests
              .mapAsync(
                  1,
                  q ->
                      JsonGateway.call(() -> unary.call().apply(q, md))
                          .handle(
                              (answer, failure) ->
                                  failure == null
                                      ? GatewayJson.print(answer)
                                      : GatewayStatus.errorBody(ErrorTable.of(failure))))
              .map(TextMessage::create);
    }
    return upgrade.handleMessagesWith(flow).addHeaders(JsonGateway.CORS);
  }

  private static Source<? extends Message, NotUsed> open(
      GatewayRoute.BidiStream bidi, Source<Message, NotUsed> requests, Metadata md) {
    try {
      return bidi.call().apply(requests, md);
    } catch (RuntimeException e) {
      return Source.failed(e);
    }
  }

  private static Source<org.apache.pekko.http.javadsl.model.ws.Message, NotUsed> lines(
      Source<JsonGateway.Chunk, NotUsed> chunks) {
    return chunks.map(c -> TextMessage.create(c.text().stripTrailing()));
  }

  /** The requests in the client's messages, read as grpc-gateway reads a request body. */
  private Flow<org.apache.pekko.http.javadsl.model.ws.Message, Message, NotUsed> requests(
      Message prototype) {
    return Flow.<org.apache.pekko.http.javadsl.model.ws.Message>create()
        .mapAsync(
            1,
            m ->
                m.isText()
                    ? m.asTextMessage()
                        .getStreamedText()
                        .runFold("", String::concat, mat)
                        .thenApply(ByteString::fromString)
                    : m.asBinaryMessage()
                        .getStreamedData()
                        .runFold(ByteString.emptyByteString(), ByteString::concat, mat))
        // wsproxy writes each message and a newline into the request body
        .map(bytes -> bytes.concat(ByteString.fromString("\n")))
        .via(GatewayRequests.decoder(prototype, maxBodyBytes))
        .filter(d -> d.request().isPresent())
        .map(d -> d.request().get());
  }
}
