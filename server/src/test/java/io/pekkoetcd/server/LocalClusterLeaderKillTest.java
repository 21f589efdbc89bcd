package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.pekkoetcd.testkit.cluster.LocalCluster;
import io.pekkoetcd.testkit.cluster.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No acknowledged write is lost when the leader process is killed with SIGKILL mid-stream: jetcd
 * puts flow through a follower of {@code deploy/local-cluster.sh} (16 in flight) while the leader's
 * process is killed after a random number of acknowledgements; once a survivor leads, more puts are
 * acknowledged; then every acknowledged put is on both survivors (linearizable reads) with the
 * revision it was acknowledged with, and, after the killed member is started again and has caught
 * up, on it too (serializable read: its own store). Puts in flight at the kill may fail ("request
 * timed out"): only acknowledged ones are promised.
 */
@Tag("distribution")
class LocalClusterLeaderKillTest {
  @TempDir Path dir;

  @Test
  void acknowledgedPutsSurviveSigkillOfTheLeader() throws Exception {
    long seed = Long.getLong("leaderkill.seed", System.nanoTime());
    int killAfter = 100 + new Random(seed).nextInt(400);
    System.out.println("LocalClusterLeaderKillTest seed=" + seed + " killAfter=" + killAfter);
    try (LocalCluster cluster = new LocalCluster(dir)) {
      cluster.startHealthy(LocalClusterEtcdctlTest.START);
      LocalCluster.Status leader =
          cluster.awaitSettled(LocalClusterEtcdctlTest.SETTLE).stream()
              .filter(LocalCluster.Status::isLeader)
              .findFirst()
              .orElseThrow();
      int killed = cluster.indexOfEndpoint(leader.endpoint());
      int writer = (killed + 1) % 3;
      int other = (killed + 2) % 3;

      Map<String, Long> acked = new ConcurrentHashMap<>();
      AtomicInteger acks = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      try (Client client = Client.builder().endpoints(cluster.endpoint(writer)).build()) {
        Semaphore window = new Semaphore(16);
        boolean leaderKilled = false;
        int enoughAcks = Integer.MAX_VALUE;
        for (int i = 0; i < 50_000 && acks.get() < enoughAcks; i++) {
          if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no put completed within 30 s (seed " + seed + ")");
          }
          String key = "lk/" + i;
          client
              .getKVClient()
              .put(bytes(key), bytes("v" + i))
              .whenComplete(
                  (r, e) -> {
                    if (e == null) {
                      acked.put(key, r.getHeader().getRevision());
                      acks.incrementAndGet();
                    } else {
                      failures.incrementAndGet();
                    }
                    window.release();
                  });
          if (!leaderKilled && acks.get() >= killAfter) {
            cluster.kill9(LocalCluster.NAMES.get(killed)); // while puts are in flight
            leaderKilled = true;
            enoughAcks = acks.get() + 200;
          }
        }
        assertThat(window.tryAcquire(16, 60, TimeUnit.SECONDS)).as("in-flight puts ended").isTrue();
        assertThat(leaderKilled).isTrue();
        assertThat(acks.get())
            .as("acknowledged after the kill (seed %d)", seed)
            .isGreaterThanOrEqualTo(enoughAcks);
        System.out.println(
            "LocalClusterLeaderKillTest acknowledged=" + acks.get() + " failed=" + failures.get());
      }

      for (int m : new int[] {writer, other}) {
        assertEveryAcknowledgedPut(cluster.endpoint(m), false, acked, seed);
      }
      cluster.start();
      Poll.until(
          LocalClusterEtcdctlTest.SETTLE,
          "the restarted member catches up",
          () -> {
            List<LocalCluster.HashKv> all = cluster.hashKv();
            return all.size() == 3
                && all.stream().map(LocalCluster.HashKv::revision).distinct().count() == 1
                && all.stream().map(LocalCluster.HashKv::hash).distinct().count() == 1;
          });
      assertEveryAcknowledgedPut(cluster.endpoint(killed), true, acked, seed);
      cluster.stop();
    }
  }

  private static void assertEveryAcknowledgedPut(
      String endpoint, boolean serializable, Map<String, Long> acked, long seed) throws Exception {
    Map<String, Long> stored = new HashMap<>();
    try (Client client = Client.builder().endpoints(endpoint).build()) {
      List<KeyValue> kvs =
          client
              .getKVClient()
              .get(
                  bytes("lk/"),
                  GetOption.builder().isPrefix(true).withSerializable(serializable).build())
              .get(30, TimeUnit.SECONDS)
              .getKvs();
      for (KeyValue kv : kvs) {
        stored.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getModRevision());
      }
    }
    List<String> missing = new ArrayList<>();
    acked.forEach(
        (key, revision) -> {
          if (!revision.equals(stored.get(key))) {
            missing.add(key + "@" + revision + " (stored: " + stored.get(key) + ")");
          }
        });
    assertThat(missing)
        .as("acknowledged puts missing or changed on %s (seed %d)", endpoint, seed)
        .isEmpty();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
