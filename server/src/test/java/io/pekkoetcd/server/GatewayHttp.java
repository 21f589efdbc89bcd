package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** JSON gateway calls over HTTP/1.1 (as curl, etcd3gw and Patroni make them) for the tests. */
final class GatewayHttp {
  private GatewayHttp() {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** POSTs {@code body} to {@code path}, expects 200 and returns the answer. */
  static String call(String endpoint, String path, String body) throws Exception {
    HttpResponse<String> r = post(endpoint, path, body, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  static <T> HttpResponse<T> post(
      String endpoint, String path, String body, HttpResponse.BodyHandler<T> handler)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.sendAsync(request, handler).get(20, TimeUnit.SECONDS);
  }
}
