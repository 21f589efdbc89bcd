package io.pekkoetcd.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain HTTP/1.1 GETs against a member's client port or metrics listener (as curl or Prometheus
 * would), and reading series out of Prometheus' text format.
 */
final class HttpProbe {
  private HttpProbe() {}

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  static HttpResponse<String> request(String method, String url)
      throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return request("GET", url);
  }

  /** The body of {@code GET <endpoint>/metrics}, which must answer 200. */
  static String metrics(String endpoint) throws IOException, InterruptedException {
    HttpResponse<String> r = get(endpoint + "/metrics");
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /metrics answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /**
   * The sum of the samples of {@code name} whose labels include every {@code label="value"} pair in
   * {@code labels} (e.g. {@code actor="kv"}); -1 if there is none.
   */
  static double value(String text, String name, String... labels) {
    Pattern line =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      String set = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String l : labels) {
        all &= set.contains(l);
      }
      if (all) {
        found = true;
        sum += Double.parseDouble(m.group(2));
      }
    }
    return found ? sum : -1;
  }
}
