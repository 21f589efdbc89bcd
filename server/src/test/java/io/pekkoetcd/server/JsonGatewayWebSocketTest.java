package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway over a WebSocket, as etcd serves it through wsproxy: each message sent is a request,
 * each line of the answer one text message; the watch keeps serving new requests of the same
 * socket.
 */
class JsonGatewayWebSocketTest {
  @TempDir static Path dir;
  static InProcessMember member;

  @BeforeAll
  static void start() throws Exception {
    member = InProcessMember.start(dir, "gw-ws");
  }

  @AfterAll
  static void stop() throws Exception {
    member.close();
  }

  @Test
  void aWatchOverAWebSocketTakesRequestsAsMessagesAndAnswersOneMessagePerResponse()
      throws Exception {
    Messages in = new Messages();
    WebSocket ws = open("/v3/watch", in);
    ws.sendText("{\"create_request\":{\"key\":\"eA==\"}}", true).get(10, TimeUnit.SECONDS);
    assertThat(in.next()).startsWith("{\"result\":{\"header\":").endsWith("\"created\":true}}");
    GatewayHttp.call(member.endpoint(), "/v3/kv/put", "{\"key\":\"eA==\",\"value\":\"MQ==\"}");
    assertThat(in.next())
        .contains("\"events\":[{\"kv\":{\"key\":\"eA==\"")
        .contains("\"value\":\"MQ==\"");
    // a second watcher on the same socket
    ws.sendText("{\"create_request\":{\"key\":\"eQ==\"}}", true).get(10, TimeUnit.SECONDS);
    assertThat(in.next()).contains("\"watch_id\":\"1\",\"created\":true}}");
    GatewayHttp.call(member.endpoint(), "/v3/kv/put", "{\"key\":\"eQ==\",\"value\":\"Mg==\"}");
    assertThat(in.next()).contains("\"watch_id\":\"1\",\"events\":[{\"kv\":{\"key\":\"eQ==\"");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
  }

  @Test
  void keepAlivesAndUnaryCallsWorkOverAWebSocket() throws Exception {
    GatewayHttp.call(member.endpoint(), "/v3/lease/grant", "{\"ID\":\"5\",\"TTL\":\"20\"}");
    Messages keepAlive = new Messages();
    WebSocket ws = open("/v3/lease/keepalive", keepAlive);
    ws.sendText("{\"ID\":5}", true).get(10, TimeUnit.SECONDS);
    assertThat(keepAlive.next())
        .startsWith("{\"result\":{\"header\":")
        .endsWith("\"ID\":\"5\",\"TTL\":\"20\"}}");
    ws.sendText("{\"ID\":\"5\"}", true).get(10, TimeUnit.SECONDS);
    assertThat(keepAlive.next()).endsWith("\"ID\":\"5\",\"TTL\":\"20\"}}");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

    GatewayHttp.call(member.endpoint(), "/v3/kv/put", "{\"key\":\"cg==\",\"value\":\"MQ==\"}");
    Messages range = new Messages();
    WebSocket unary = open("/v3/kv/range", range);
    unary.sendText("{\"key\":\"cg==\"}", true).get(10, TimeUnit.SECONDS);
    assertThat(range.next()).startsWith("{\"header\":").contains("\"count\":\"1\"");
    unary.sendText("{}", true).get(10, TimeUnit.SECONDS);
    assertThat(range.next())
        .isEqualTo(
            "{\"error\":\"etcdserver: key is not provided\",\"message\":\"etcdserver: key is not"
                + " provided\",\"code\":3}");
    unary.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
  }

  private static WebSocket open(String path, Messages listener) throws Exception {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + member.port() + path), listener)
        .get(10, TimeUnit.SECONDS);
  }

  /** Text messages as they arrive, whole. */
  static final class Messages implements WebSocket.Listener {
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    String next() throws InterruptedException {
      String m = received.poll(20, TimeUnit.SECONDS);
      assertThat(m).as("a message within 20 s").isNotNull();
      return m;
    }
  }
}
