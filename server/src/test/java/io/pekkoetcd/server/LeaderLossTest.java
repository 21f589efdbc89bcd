package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No acknowledged write is lost when the leader goes away mid-stream: puts flow through a follower
 * (16 in flight) while the leader's member is stopped after a random number of acknowledgements;
 * the survivors elect a new leader, more puts are acknowledged, and then both survivors hold every
 * acknowledged put with the revision it was acknowledged with, one key per revision.
 */
class LeaderLossTest {
  @TempDir Path dir;

  @Test
  void acknowledgedWritesSurviveTheLossOfTheLeader() throws Exception {
    long seed = Long.getLong("leaderloss.seed", System.nanoTime());
    int stopAfter = 50 + new Random(seed).nextInt(200);
    System.out.println("LeaderLossTest seed=" + seed + " stopAfter=" + stopAfter);
    try (ThreeMemberCluster c = ThreeMemberCluster.start(dir)) {
      int leader = c.awaitLeader(ClusterTest.ELECTION);
      int writer = (leader + 1) % 3;
      int other = (leader + 2) % 3;
      EtcdMember through = c.member(writer);
      Map<String, Long> acked = new ConcurrentHashMap<>();
      AtomicInteger acks = new AtomicInteger();
      Semaphore window = new Semaphore(16);
      boolean leaderStopped = false;
      int afterFailover = -1;
      for (int i = 0; i < 100_000; i++) {
        if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
          throw new AssertionError("no put completed within 30 s (seed " + seed + ")");
        }
        String key = "ll/" + i;
        through
            .put(
                PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key))
                    .setValue(ByteString.copyFromUtf8("v" + i))
                    .build())
            .whenComplete(
                (r, e) -> {
                  if (e == null) {
                    acked.put(key, r.getHeader().getRevision());
                    acks.incrementAndGet();
                  }
                  window.release();
                });
        if (!leaderStopped && acks.get() >= stopAfter) {
          c.stop(leader); // while puts are in flight
          leaderStopped = true;
          afterFailover = acks.get() + 100;
        }
        if (leaderStopped && acks.get() >= afterFailover) {
          break;
        }
      }
      assertThat(window.tryAcquire(16, 60, TimeUnit.SECONDS)).as("in-flight puts ended").isTrue();
      assertThat(leaderStopped).isTrue();
      assertThat(acks.get())
          .as("acknowledged after the failover (seed %d)", seed)
          .isGreaterThanOrEqualTo(afterFailover);

      for (int m : new int[] {writer, other}) {
        Map<String, KeyValue> stored = new TreeMap<>();
        for (KeyValue kv :
            c.member(m)
                .range(
                    RangeRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("ll/"))
                        .setRangeEnd(ByteString.copyFromUtf8("ll0"))
                        .build())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS)
                .getKvsList()) {
          stored.put(kv.getKey().toStringUtf8(), kv);
        }
        Map<String, Long> missing = new HashMap<>();
        acked.forEach(
            (k, rev) -> {
              KeyValue kv = stored.get(k);
              if (kv == null || kv.getModRevision() != rev) {
                missing.put(k, rev);
              }
            });
        assertThat(missing)
            .as(
                "acknowledged puts missing or changed on %s (seed %d)",
                ThreeMemberCluster.name(m), seed)
            .isEmpty();
        TreeSet<Long> revisions = new TreeSet<>();
        stored.values().forEach(kv -> revisions.add(kv.getModRevision()));
        assertThat(revisions).as("one key per revision").hasSize(stored.size());
      }
    }
  }
}
