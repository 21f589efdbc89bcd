package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's backup procedure against pekko-etcd: {@code etcdctl snapshot save} streams etcd's
 * backend file, which the real {@code etcdctl snapshot status} opens as a bbolt database (its
 * consistency check included) and reads: revision and total keys as etcd counts them. A snapshot
 * taken while a client keeps writing does not stop the writes and holds one revision between the
 * writes before and after it.
 */
class SnapshotEtcdctlTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Test
  void snapshotSaveThenStatus() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl (etcd-client) is not installed");
    try (InProcessMember m = InProcessMember.start(dir.resolve("data"), "snap");
        Client client = Client.builder().endpoints(m.endpoint()).build()) {
      String value = "v".repeat(1000);
      for (int i = 0; i < 150; i++) {
        client.getKVClient().put(bs("key-" + (i % 100)), bs(value + i)).get(10, TimeUnit.SECONDS);
      }
      client.getKVClient().delete(bs("key-7")).get(10, TimeUnit.SECONDS);
      long rev = client.getKVClient().get(bs("key-1")).get().getHeader().getRevision();
      assertThat(rev).isEqualTo(152);

      Path backup = dir.resolve("backup.db");
      Etcdctl.Result save = Etcdctl.run(m.endpoint(), null, "snapshot", "save", backup.toString());
      assertThat(save.exitCode()).as(save.output()).isZero();
      assertThat(save.output()).contains("Snapshot saved at " + backup);
      // whole pages plus etcd's SHA-256 trailer
      assertThat(Files.size(backup) % 512).isEqualTo(32);

      Etcdctl.Result table =
          Etcdctl.run(m.endpoint(), null, "snapshot", "status", backup.toString(), "-w", "table");
      assertThat(table.exitCode()).as(table.output()).isZero();
      assertThat(table.output())
          .contains(
              "|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |", "|      152 |        153 |");
      JsonNode status = status(m, backup);
      assertThat(status.get("revision").asLong()).isEqualTo(152);
      // 151 revisions in bucket key, consistent_index in meta, clusterVersion in cluster
      assertThat(status.get("totalKey").asLong()).isEqualTo(151 + 1 + 1);
      assertThat(status.get("totalSize").asLong()).isEqualTo(Files.size(backup) - 32);

      // a snapshot while a client writes: the writes go on, the snapshot is one revision
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong written = new AtomicLong();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 2000 && !stop.get(); i++) {
                  client.getKVClient().put(bs("w-" + i), bs(value)).join();
                  written.incrementAndGet();
                }
              });
      Poll.until(
          Duration.ofSeconds(10),
          Duration.ofMillis(5),
          () -> "20 writes",
          () -> written.get() >= 20);
      long before = written.get();
      Path during = dir.resolve("during.db");
      Etcdctl.Result save2 = Etcdctl.run(m.endpoint(), null, "snapshot", "save", during.toString());
      long after = written.get();
      stop.set(true);
      writer.get(30, TimeUnit.SECONDS);
      assertThat(save2.exitCode()).as(save2.output()).isZero();
      long snapRev = status(m, during).get("revision").asLong();
      assertThat(snapRev).isBetween(152 + before, 152 + after + 1);
    }
  }

  private static JsonNode status(InProcessMember m, Path file) throws Exception {
    Etcdctl.Result r =
        Etcdctl.run(m.endpoint(), null, "snapshot", "status", file.toString(), "-w", "json");
    assertThat(r.exitCode()).as(r.output()).isZero();
    return JSON.readTree(r.output().substring(r.output().indexOf('{')));
  }
}
