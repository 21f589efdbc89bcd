package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkoetcd.testkit.cluster.LocalCluster;
import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.Ports;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's acceptance: a real Prometheus (Debian's {@code prometheus}, started here on a free
 * loopback port, with {@code deploy/prometheus/alerts.yml} as its rules) scrapes the three members
 * of {@code deploy/local-cluster.sh}; through its HTTP API the test finds etcd's series (every
 * member up, one leader, proposals, WAL fsyncs, peer traffic, gRPC calls) and the actor series
 * moving under a put load, sees the alert rules loaded and healthy, and runs every query of the
 * Grafana dashboard ({@code deploy/grafana/pekko-etcd.json}) without an error.
 */
@Tag("distribution")
class PrometheusScrapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SCRAPED = Duration.ofSeconds(30);
  private static final int PUTS = 30;

  @TempDir Path dir;

  @Test
  void prometheusScrapesTheLocalClusterAndSeesEtcdAndActorSeriesMove() throws Exception {
    Assumptions.assumeTrue(Etcdctl.runs("prometheus", "--version"), "prometheus not installed");
    Path repo = repositoryRoot();
    try (LocalCluster cluster = new LocalCluster(dir.resolve("cluster"))) {
      // Generous: on a loaded 2-core machine three members took 45 s to become healthy.
      cluster.startHealthy(Duration.ofSeconds(150));
      int port = Ports.freePort();
      Path config = dir.resolve("prometheus.yml");
      StringBuilder targets = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        targets
            .append(i == 0 ? "" : ", ")
            .append('"')
            .append(cluster.endpoint(i).substring(7))
            .append('"');
      }
      Files.writeString(
          config,
          "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
              + "rule_files: ['"
              + repo.resolve("deploy/prometheus/alerts.yml")
              + "']\n"
              + "scrape_configs:\n"
              + "  - job_name: pekko-etcd\n"
              + "    static_configs:\n"
              + "      - targets: ["
              + targets
              + "]\n");
      Process prometheus =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--storage.tsdb.retention.time=1h")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      String api = "http://127.0.0.1:" + port;
      try {
        Poll.until(
            SCRAPED,
            Duration.ofMillis(200),
            () -> "Prometheus ready",
            () -> prometheus.isAlive() && ready(api));
        Poll.until(
            SCRAPED,
            Duration.ofMillis(500),
            () -> "three members up",
            () -> scalar(api, "sum(up{job=\"pekko-etcd\"})") == 3);
        Poll.until(
            SCRAPED,
            Duration.ofMillis(500),
            () -> "every member with a leader, one of them it",
            () ->
                scalar(api, "sum(etcd_server_has_leader)") == 3
                    && scalar(api, "sum(etcd_server_is_leader)") == 1);

        double kvBefore =
            scalar(api, "sum(pekko_etcd_actor_processing_seconds_count{actor=\"kv\"})");
        double putsBefore = scalar(api, "sum(etcd_mvcc_put_total)");
        for (int n = 0; n < PUTS; n++) {
          Etcdctl.Result put =
              Etcdctl.run(cluster.endpoint(n % 3), null, "put", "scraped/" + n, "v" + n);
          assertThat(put.output()).isEqualTo("OK\n");
        }
        // Every member applies every put; every member's KV actor handles the applies.
        Poll.until(
            SCRAPED,
            Duration.ofMillis(500),
            () -> "the puts applied on all three members, as Prometheus sees them",
            () -> scalar(api, "sum(etcd_mvcc_put_total)") - putsBefore >= 3 * PUTS);
        assertThat(scalar(api, "sum(pekko_etcd_actor_processing_seconds_count{actor=\"kv\"})"))
            .isGreaterThan(kvBefore);
        assertThat(
                scalar(api, "sum(grpc_server_handled_total{grpc_method=\"Put\",grpc_code=\"OK\"})"))
            .isGreaterThanOrEqualTo(PUTS);
        assertThat(scalar(api, "min(etcd_server_proposals_committed_total)")).isPositive();
        assertThat(scalar(api, "sum(etcd_disk_wal_fsync_duration_seconds_count)")).isPositive();
        // the leader sends to both followers and each follower answers it; followers talk to each
        // other only in an election (votes), so 4 of the 6 links carry bytes for sure (CI saw 4)
        assertThat(scalar(api, "count(etcd_network_peer_sent_bytes_total > 0)"))
            .isBetween(4.0, 6.0);
        assertThat(scalar(api, "count(process_resident_memory_bytes > 0)")).isEqualTo(3);
        assertThat(scalar(api, "count(pekko_etcd_actor_mailbox_depth{actor=\"raft\"})"))
            .isEqualTo(3);
        // Every link reachable: on a loaded machine the failure detector may flag a member for a
        // while (a pause in start-up), and the gauge must come back when it heals.
        Poll.until(
            SCRAPED,
            Duration.ofMillis(500),
            () -> "all six peer links reachable",
            () -> scalar(api, "sum(pekko_etcd_cluster_peer_reachable)") == 6);

        JsonNode rules = get(api + "/api/v1/rules").path("data").path("groups");
        assertThat(rules).hasSize(2);
        for (JsonNode group : rules) {
          for (JsonNode rule : group.path("rules")) {
            assertThat(rule.path("health").asText()).as(rule.path("name").asText()).isEqualTo("ok");
          }
        }
        List<String> failed = new ArrayList<>();
        for (String expr : dashboardQueries(repo)) {
          JsonNode r = query(api, expr.replace("$job", "pekko-etcd"));
          if (!"success".equals(r.path("status").asText())) {
            failed.add(expr + ": " + r.path("error").asText());
          }
        }
        assertThat(failed).isEmpty();
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor();
        }
      }
    }
  }

  private static List<String> dashboardQueries(Path repo) throws Exception {
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel :
        JSON.readTree(repo.resolve("deploy/grafana/pekko-etcd.json").toFile()).path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asText());
      }
    }
    assertThat(exprs).hasSizeGreaterThan(20);
    return exprs;
  }

  private static boolean ready(String api) {
    try {
      return HttpProbe.get(api + "/-/ready").statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static JsonNode query(String api, String promql) throws Exception {
    return get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** A PromQL query's one value, or NaN when it has none. */
  private static double scalar(String api, String promql) throws Exception {
    AtomicReference<JsonNode> r = new AtomicReference<>(query(api, promql));
    JsonNode result = r.get().path("data").path("result");
    if (result.size() != 1) {
      return Double.NaN;
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private static JsonNode get(String url) throws Exception {
    return JSON.readTree(HttpProbe.get(url).body());
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("deploy/prometheus/alerts.yml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no deploy/prometheus above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
