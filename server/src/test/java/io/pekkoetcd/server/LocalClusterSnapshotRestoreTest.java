package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.pekkoetcd.testkit.cluster.LocalCluster;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore into a new cluster, black-box: a pekko-etcd member's {@code etcdctl snapshot
 * save}, restored by the distribution's {@code bin/pekko-etcdutl snapshot restore} into three data
 * dirs, starts (through {@code deploy/local-cluster.sh}) a three-member cluster whose every member
 * serves every key with its versions and revisions: {@code endpoint hashkv} on each equals the
 * source's at the same revision, compaction included; and the new cluster takes writes.
 */
@Tag("distribution")
class LocalClusterSnapshotRestoreTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Test
  void snapshotRestoredIntoAThreeMemberCluster() throws Exception {
    Path snapshot = dir.resolve("backup.db");
    long revision;
    long hash;
    String keys;
    try (InProcessMember source = InProcessMember.start(dir.resolve("source"), "source");
        Client client = Client.builder().endpoints(source.endpoint()).build()) {
      for (int i = 0; i < 150; i++) {
        client.getKVClient().put(bs("k" + (i % 60)), bs("v" + i)).get(10, TimeUnit.SECONDS);
        if (i % 15 == 14) {
          client.getKVClient().delete(bs("k" + (i % 7))).get(10, TimeUnit.SECONDS);
        }
        if (i == 100) {
          client.getKVClient().compact(60).get(10, TimeUnit.SECONDS);
        }
      }
      JsonNode h = hashKv(source.endpoint());
      revision = h.path("header").path("revision").asLong();
      hash = h.path("hash").asLong();
      keys = keys(source.endpoint());
      Etcdctl.Result save =
          Etcdctl.run(source.endpoint(), null, "snapshot", "save", snapshot.toString());
      assertThat(save.exitCode()).as(save.output()).isZero();
    }
    try (LocalCluster cluster = new LocalCluster(dir.resolve("cluster"))) {
      for (int i = 0; i < 3; i++) {
        List<String> args = new ArrayList<>(List.of("snapshot", "restore", snapshot.toString()));
        args.addAll(cluster.restoreFlags(i));
        Etcdctl.Result r = cluster.etcdutl(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("restored snapshot {\"revision\": " + revision);
      }
      try {
        cluster.startHealthy(Duration.ofSeconds(90));
      } catch (AssertionError e) {
        StringBuilder logs = new StringBuilder(e.getMessage());
        for (String name : LocalCluster.NAMES) {
          java.util.List<String> lines = java.nio.file.Files.readAllLines(cluster.log(name));
          logs.append("\n--- ").append(name).append(" ---\n");
          lines
              .subList(Math.max(0, lines.size() - 15), lines.size())
              .forEach(l -> logs.append(l).append('\n'));
        }
        throw new AssertionError(logs.toString(), e);
      }
      cluster.awaitSettled(Duration.ofSeconds(30));
      for (int i = 0; i < 3; i++) {
        JsonNode h = hashKv(cluster.endpoint(i));
        assertThat(h.path("header").path("revision").asLong()).isEqualTo(revision);
        assertThat(h.path("hash").asLong()).as("hashkv of member %d", i).isEqualTo(hash);
        assertThat(keys(cluster.endpoint(i))).isEqualTo(keys);
      }
      Etcdctl.Result put = Etcdctl.run(cluster.endpoint(1), null, "put", "after", "restore");
      assertThat(put.output()).isEqualTo("OK\n");
      Etcdctl.Result get = Etcdctl.run(cluster.endpoint(2), null, "get", "after", "-w", "json");
      assertThat(JSON.readTree(get.output()).path("header").path("revision").asLong())
          .isEqualTo(revision + 1);
    }
  }

  private static JsonNode hashKv(String endpoint) throws Exception {
    Etcdctl.Result r = Etcdctl.run(endpoint, null, "endpoint", "hashkv", "-w", "json");
    assertThat(r.exitCode()).as(r.output()).isZero();
    String json = r.output().lines().filter(l -> l.startsWith("[")).findFirst().orElseThrow();
    return JSON.readTree(json).get(0).path("HashKV");
  }

  /** Every key with its revisions and version, serializable (this member's own store). */
  private static String keys(String endpoint) throws Exception {
    return KvDump.of(endpoint, "--consistency=s");
  }
}
