package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's streams over plain HTTP: chunked answers, one {@code {"result":…}} per line, as
 * grpc-gateway writes them; a request body holding several requests; a stream that fails before its
 * first message answers with the failure's HTTP status. Reading a line blocks: a line that never
 * comes fails the test at its timeout.
 */
@Timeout(60)
class JsonGatewayStreamTest {
  @TempDir static Path dir;
  private static InProcessMember member;

  @BeforeAll
  static void start() throws Exception {
    member = InProcessMember.start(dir, "gw-stream");
  }

  @AfterAll
  static void stop() throws Exception {
    member.close();
  }

  @Test
  void aWatchStreamsOneResultPerLineForEveryWatcherOfItsBody() throws Exception {
    HttpResponse<Stream<String>> watch =
        post(
            "/v3/watch",
            "{\"create_request\":{\"key\":\"d2E=\"}}"
                + "{\"create_request\":{\"key\":\"d2I=\",\"prev_kv\":true}}",
            HttpResponse.BodyHandlers.ofLines());
    assertThat(watch.statusCode()).isEqualTo(200);
    assertThat(watch.headers().firstValue("content-type")).contains("application/json");
    Iterator<String> lines = watch.body().iterator();
    assertThat(lines.next()).startsWith("{\"result\":{\"header\":").endsWith("\"created\":true}}");
    assertThat(lines.next()).contains("\"watch_id\":\"1\",\"created\":true}}");
    assertThat(call("/v3/kv/put", "{\"key\":\"d2E=\",\"value\":\"MQ==\"}"))
        .contains("\"revision\"");
    assertThat(call("/v3/kv/put", "{\"key\":\"d2I=\",\"value\":\"Mg==\"}"))
        .contains("\"revision\"");
    assertThat(call("/v3/kv/put", "{\"key\":\"d2I=\",\"value\":\"Mw==\"}"))
        .contains("\"revision\"");
    assertThat(lines.next())
        .contains("\"events\":[{\"kv\":{\"key\":\"d2E=\",")
        .doesNotContain("watch_id");
    assertThat(lines.next()).contains("\"watch_id\":\"1\",\"events\":[{\"kv\":{\"key\":\"d2I=\",");
    assertThat(lines.next()).contains("\"value\":\"Mw==\"},\"prev_kv\":{\"key\":\"d2I=\"");
    watch.body().close();
  }

  @Test
  void aKeepAliveBodyIsAnsweredOncePerRequestThenTheStreamEnds() throws Exception {
    assertThat(call("/v3/lease/grant", "{\"ID\":\"42\",\"TTL\":\"30\"}"))
        .contains("\"TTL\":\"30\"");
    HttpResponse<String> r =
        post(
            "/v3/lease/keepalive",
            "{\"ID\":42} {\"ID\":\"43\"}",
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> lines = r.body().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith("{\"result\":{\"header\":")
        .endsWith("\"ID\":\"42\",\"TTL\":\"30\"}}");
    assertThat(lines.get(1)).endsWith("\"ID\":\"43\"}}");
    // a body that does not decode: grpc-gateway's first-request error, Unknown, HTTP 500
    HttpResponse<String> bad =
        post("/v3/lease/keepalive", "{\"ID\":x}", HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(500);
    assertThat(bad.body())
        .isEqualTo(
            "{\"error\":\"invalid character 'x' looking for beginning of value\","
                + "\"message\":\"invalid character 'x' looking for beginning of value\",\"code\":2}");
  }

  @Test
  void anObserveStreamsTheLeaderAndASnapshotStreamsBlobs() throws Exception {
    assertThat(call("/v3/lease/grant", "{\"ID\":\"77\",\"TTL\":\"30\"}")).contains("\"ID\":\"77\"");
    assertThat(
            call(
                "/v3/election/campaign", "{\"name\":\"b2Jz\",\"lease\":\"77\",\"value\":\"djE=\"}"))
        .contains("\"leader\":{\"name\":\"b2Jz\"");
    HttpResponse<Stream<String>> observe =
        post("/v3/election/observe", "{\"name\":\"b2Jz\"}", HttpResponse.BodyHandlers.ofLines());
    assertThat(observe.statusCode()).isEqualTo(200);
    assertThat(observe.body().iterator().next())
        .startsWith("{\"result\":{\"header\":")
        .contains("\"value\":\"djE=\"");
    observe.body().close();
    // The snapshot stream: chunks of etcd's backend file as base64 blobs
    HttpResponse<Stream<String>> snapshot =
        post("/v3/maintenance/snapshot", "{}", HttpResponse.BodyHandlers.ofLines());
    assertThat(snapshot.statusCode()).isEqualTo(200);
    assertThat(snapshot.body().iterator().next())
        .startsWith("{\"result\":{")
        .contains("\"blob\":\"");
    snapshot.body().close();
  }

  private static String call(String path, String body) throws Exception {
    return GatewayHttp.call(member.endpoint(), path, body);
  }

  private static <T> HttpResponse<T> post(
      String path, String body, HttpResponse.BodyHandler<T> handler) throws Exception {
    return GatewayHttp.post(member.endpoint(), path, body, handler);
  }
}
