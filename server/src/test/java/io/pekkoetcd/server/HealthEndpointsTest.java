package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.cluster.Poll;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health}, {@code /livez} and {@code /readyz} with etcd 3.5's semantics and formats, on a
 * three-member cluster: healthy with a leader; once two members are stopped, the survivor loses its
 * leader and {@code /health} answers 503 "RAFT NO LEADER", while {@code ?serializable=true} (a
 * local read, no leader needed), {@code /livez} and {@code /readyz} stay healthy, as etcd's.
 */
class HealthEndpointsTest {
  @TempDir Path dir;

  @Test
  void healthFollowsTheLeaderAndLivezReadyzTheLocalRead() throws Exception {
    try (ThreeMemberCluster c = ThreeMemberCluster.start(dir)) {
      int leader = c.awaitLeader(Duration.ofSeconds(30));
      // The leader times its heartbeats' round trips to each follower (etcd's peer RTT histogram).
      Poll.until(
          Duration.ofSeconds(10),
          Duration.ofMillis(100),
          () -> "heartbeat round trips on the leader",
          () ->
              HttpProbe.value(
                      HttpProbe.metrics(c.endpoint(leader)),
                      "etcd_network_peer_round_trip_time_seconds_count")
                  >= 2);
      String ep = c.endpoint(0);
      HttpResponse<String> health = HttpProbe.get(ep + "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"health\":\"true\",\"reason\":\"\"}");
      assertThat(HttpProbe.get(ep + "/health?serializable=true").body())
          .isEqualTo("{\"health\":\"true\",\"reason\":\"\"}");
      HttpResponse<String> livez = HttpProbe.get(ep + "/livez");
      assertThat(livez.statusCode()).isEqualTo(200);
      assertThat(livez.body()).isEqualTo("ok\n");
      assertThat(livez.headers().firstValue("content-type").orElse(""))
          .isEqualTo("text/plain; charset=UTF-8");
      assertThat(HttpProbe.get(ep + "/livez?verbose").body())
          .isEqualTo("[+]serializable_read ok\nok\n");
      assertThat(HttpProbe.get(ep + "/readyz?verbose").body())
          .isEqualTo("[+]data_corruption ok\n[+]serializable_read ok\nok\n");
      assertThat(HttpProbe.get(ep + "/readyz?verbose&exclude=data_corruption").body())
          .isEqualTo("[+]serializable_read ok\nok\n");
      assertThat(HttpProbe.get(ep + "/readyz/data_corruption?verbose").body())
          .isEqualTo("[+]data_corruption ok\nok\n");
      assertThat(HttpProbe.get(ep + "/livez/no_such_check").statusCode()).isEqualTo(404);
      HttpResponse<String> post = HttpProbe.request("POST", ep + "/health");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("allow")).contains("GET");

      c.stop(1);
      c.stop(2);
      AtomicReference<HttpResponse<String>> seen = new AtomicReference<>();
      Poll.until(
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          () -> "/health to report no leader; last " + seen.get().body(),
          () -> {
            seen.set(HttpProbe.get(ep + "/health"));
            // Until its election timeout the member still believes in the stopped leader, and the
            // health check's read times out ("RANGE ERROR"); then it knows there is no leader.
            return seen.get().statusCode() == 503 && seen.get().body().contains("RAFT NO LEADER");
          });
      assertThat(seen.get().body())
          .isEqualTo("{\"health\":\"false\",\"reason\":\"RAFT NO LEADER\"}");
      assertThat(HttpProbe.get(ep + "/health?serializable=true").statusCode()).isEqualTo(200);
      assertThat(HttpProbe.get(ep + "/livez").statusCode()).isEqualTo(200);
      assertThat(HttpProbe.get(ep + "/readyz").statusCode()).isEqualTo(200);
      String metrics = HttpProbe.metrics(ep);
      assertThat(HttpProbe.value(metrics, "etcd_server_has_leader")).isZero();
      assertThat(HttpProbe.value(metrics, "etcd_server_health_failures_total")).isPositive();
      assertThat(HttpProbe.value(metrics, "etcd_server_health_success_total")).isPositive();
      assertThat(HttpProbe.value(metrics, "pekko_etcd_cluster_peer_reachable"))
          .isGreaterThanOrEqualTo(0);
    }
  }
}
