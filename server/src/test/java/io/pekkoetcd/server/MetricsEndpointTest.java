package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} on the client port and on a {@code --listen-metrics-urls} listener of one real
 * member: etcd's series with etcd's types, moving as etcdctl writes; gRPC calls counted by method
 * and code; per-actor series; and {@code etcdctl check datascale}, which reads the member's {@code
 * /metrics} itself.
 */
class MetricsEndpointTest {
  @TempDir static Path dir;
  static InProcessMember member;
  static int metricsPort;

  @BeforeAll
  static void start() throws Exception {
    metricsPort = InProcessMember.freePort();
    member =
        InProcessMember.startWith(
            dir.resolve("data"),
            "metrics-test",
            "--listen-metrics-urls",
            "http://127.0.0.1:" + metricsPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (member != null) {
      member.close();
    }
  }

  private static String etcdctl(String... args) throws Exception {
    Etcdctl.Result r = Etcdctl.run(member.endpoint(), null, args);
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output();
  }

  @Test
  void etcdSeriesWithEtcdsTypesMoveAsClientsWrite() throws Exception {
    Assumptions.assumeTrue(Etcdctl.available(), "etcdctl not installed");
    HttpResponse<String> first = HttpProbe.get(member.endpoint() + "/metrics");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("content-type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    String before = first.body();
    for (String typed :
        new String[] {
          "# TYPE etcd_server_has_leader gauge",
          "# TYPE etcd_server_is_leader gauge",
          "# TYPE etcd_server_leader_changes_seen_total counter",
          "# TYPE etcd_server_proposals_committed_total gauge",
          "# TYPE etcd_server_proposals_applied_total gauge",
          "# TYPE etcd_server_proposals_pending gauge",
          "# TYPE etcd_server_proposals_failed_total counter",
          "# TYPE etcd_server_slow_apply_total counter",
          "# TYPE etcd_disk_wal_fsync_duration_seconds histogram",
          "# TYPE etcd_disk_backend_commit_duration_seconds histogram",
          "# TYPE etcd_mvcc_db_total_size_in_bytes gauge",
          "# TYPE etcd_mvcc_db_total_size_in_use_in_bytes gauge",
          "# TYPE etcd_debugging_mvcc_keys_total gauge",
          "# TYPE etcd_debugging_mvcc_watch_stream_total gauge",
          "# TYPE etcd_debugging_mvcc_watcher_total gauge",
          "# TYPE etcd_debugging_mvcc_events_total counter",
          "# TYPE grpc_server_started_total counter",
          "# TYPE grpc_server_handled_total counter",
          "# TYPE process_resident_memory_bytes gauge",
          "# TYPE process_open_fds gauge",
          "# TYPE pekko_etcd_actor_mailbox_depth gauge",
          "# TYPE pekko_etcd_actor_processing_seconds histogram",
        }) {
      assertThat(before).contains(typed);
    }
    assertThat(HttpProbe.value(before, "etcd_server_has_leader")).isEqualTo(1);
    assertThat(HttpProbe.value(before, "etcd_server_is_leader")).isEqualTo(1);
    assertThat(HttpProbe.value(before, "etcd_server_leader_changes_seen_total")).isEqualTo(1);
    assertThat(HttpProbe.value(before, "process_resident_memory_bytes")).isPositive();
    assertThat(HttpProbe.value(before, "jvm_memory_used_bytes", "area=\"heap\"")).isPositive();

    double revision = HttpProbe.value(before, "etcd_debugging_mvcc_current_revision");
    for (int i = 0; i < 5; i++) {
      etcdctl("put", "metrics/k" + i, "v" + i);
    }
    long compactAt = (long) revision + 3;
    etcdctl("compaction", Long.toString(compactAt));
    Etcdctl.Result compacted =
        Etcdctl.run(member.endpoint(), null, "get", "metrics/k0", "--rev=" + (compactAt - 1));
    assertThat(compacted.output()).contains("required revision has been compacted");

    String after = HttpProbe.metrics(member.endpoint());
    assertThat(delta(before, after, "etcd_mvcc_put_total")).isEqualTo(5);
    assertThat(delta(before, after, "etcd_debugging_mvcc_keys_total")).isEqualTo(5);
    assertThat(HttpProbe.value(after, "etcd_debugging_mvcc_current_revision"))
        .isEqualTo(revision + 5);
    assertThat(HttpProbe.value(after, "etcd_debugging_mvcc_compact_revision")).isEqualTo(compactAt);
    assertThat(delta(before, after, "etcd_server_proposals_applied_total")).isGreaterThan(5);
    assertThat(HttpProbe.value(after, "etcd_server_proposals_committed_total"))
        .isGreaterThanOrEqualTo(HttpProbe.value(after, "etcd_server_proposals_applied_total"));
    assertThat(delta(before, after, "etcd_disk_wal_fsync_duration_seconds_count")).isPositive();
    assertThat(delta(before, after, "etcd_disk_backend_commit_duration_seconds_count"))
        .isPositive();
    assertThat(HttpProbe.value(after, "etcd_mvcc_db_total_size_in_bytes")).isPositive();
    String[] putOk = {
      "grpc_type=\"unary\"",
      "grpc_service=\"etcdserverpb.KV\"",
      "grpc_method=\"Put\"",
      "grpc_code=\"OK\""
    };
    assertThat(delta(before, after, "grpc_server_handled_total", putOk)).isEqualTo(5);
    assertThat(
            delta(
                before,
                after,
                "grpc_server_handled_total",
                "grpc_method=\"Range\"",
                "grpc_code=\"OutOfRange\""))
        .isEqualTo(1);
    assertThat(
            delta(
                before,
                after,
                "grpc_server_started_total",
                "grpc_method=\"Put\"",
                "grpc_type=\"unary\""))
        .isEqualTo(5);
    // The actors: the KV actor applied the puts; its mailbox is empty again.
    assertThat(
            HttpProbe.value(
                after,
                "pekko_etcd_actor_processing_seconds_count",
                "actor=\"kv\"",
                "message=\"Apply\""))
        .isPositive();
    assertThat(
            HttpProbe.value(after, "pekko_etcd_actor_processing_seconds_count", "actor=\"raft\""))
        .isPositive();
    // Empty once the compaction's garbage is deleted: the KV actor deletes it in batches, one
    // message to itself each, between applies, so a scrape right after the compaction can still
    // see one queued.
    Poll.until(
        Duration.ofSeconds(10),
        "the KV actor's mailbox is empty again",
        () ->
            HttpProbe.value(
                    HttpProbe.metrics(member.endpoint()),
                    "pekko_etcd_actor_mailbox_depth",
                    "actor=\"kv\"")
                == 0);
  }

  /** How much a series grew between two scrapes (a missing series counts as 0). */
  private static double delta(String before, String after, String name, String... labels) {
    return Math.max(0, HttpProbe.value(after, name, labels))
        - Math.max(0, HttpProbe.value(before, name, labels));
  }

  @Test
  void aBidiStreamIsCountedWithItsTypeAndEnd() throws Exception {
    Assumptions.assumeTrue(Etcdctl.available(), "etcdctl not installed");
    String[] keepAlive = {"grpc_type=\"bidi_stream\"", "grpc_method=\"LeaseKeepAlive\""};
    String before = HttpProbe.metrics(member.endpoint());
    String grant = etcdctl("lease", "grant", "60");
    String id = grant.split(" ")[1];
    etcdctl("lease", "keep-alive", "--once", id);
    // The stream's end (etcdctl closing it) is counted when the server side of the stream
    // completes.
    Poll.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        () -> "LeaseKeepAlive counted as started and handled",
        () -> {
          String after = HttpProbe.metrics(member.endpoint());
          return delta(before, after, "grpc_server_started_total", keepAlive) == 1
              && delta(before, after, "grpc_server_handled_total", keepAlive) == 1
              && delta(before, after, "grpc_server_msg_sent_total", keepAlive) >= 1;
        });
  }

  @Test
  void theMetricsListenerServesMetricsAndHealthOnly() throws Exception {
    String listener = "http://127.0.0.1:" + metricsPort;
    assertThat(HttpProbe.value(HttpProbe.metrics(listener), "etcd_server_has_leader")).isEqualTo(1);
    assertThat(HttpProbe.get(listener + "/health").statusCode()).isEqualTo(200);
    assertThat(HttpProbe.get(listener + "/readyz").body()).isEqualTo("ok\n");
    assertThat(HttpProbe.get(listener + "/version").statusCode()).isEqualTo(404);
    assertThat(HttpProbe.request("POST", listener + "/metrics").statusCode()).isEqualTo(405);
  }

  @Test
  void etcdctlCheckDatascaleReadsMetricsAndPrintsItsReport() throws Exception {
    Assumptions.assumeTrue(Etcdctl.available(), "etcdctl not installed");
    Etcdctl.Result r = Etcdctl.run(member.endpoint(), null, "check", "datascale", "--load=s");
    System.out.println("etcdctl check datascale:\n" + r.output());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("Start data scale check for work load")
        .contains("PASS: Approximate system memory used");
  }
}
