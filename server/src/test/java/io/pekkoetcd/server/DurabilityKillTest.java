package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.pekkoetcd.testkit.process.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable before visible: a client writes 1,000 puts (16 in flight) to a real server process, which
 * is killed with SIGKILL after a random number of acknowledgements. After a restart on the same
 * data directory every acknowledged put is there with the revision it was acknowledged with, and
 * revisions continue without a gap.
 */
class DurabilityKillTest {
  @TempDir Path dir;

  static final int PUTS = 1_000;
  static final int IN_FLIGHT = 16;

  @Test
  void everyAcknowledgedPutSurvivesKillMinus9() throws Exception {
    long seed = Long.getLong("durability.seed", System.nanoTime());
    Random random = new Random(seed);
    int killAfter = 100 + random.nextInt(800);
    System.out.println("DurabilityKillTest seed=" + seed + " killAfter=" + killAfter);
    int client = InProcessMember.freePort();
    int peer = InProcessMember.freePort();
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    String endpoint = "http://127.0.0.1:" + client;

    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    try (ServerProcess server = ServerProcess.start(data, "dur", client, peer, log);
        Client etcd = Client.builder().endpoints(endpoint).build()) {
      Semaphore window = new Semaphore(IN_FLIGHT);
      AtomicInteger acks = new AtomicInteger();
      CountDownLatch killed = new CountDownLatch(1);
      for (int i = 0; i < PUTS && killed.getCount() > 0; i++) {
        if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
          break; // the server is gone and the in-flight calls failed slowly; enough was sent
        }
        String key = "dur/" + i;
        etcd.getKVClient()
            .put(bs(key), bs("value-" + i))
            .whenComplete(
                (r, e) -> {
                  window.release();
                  if (e == null) {
                    acknowledged.put(key, r.getHeader().getRevision());
                    if (acks.incrementAndGet() == killAfter) {
                      killed.countDown();
                    }
                  }
                });
        if (acks.get() >= killAfter && killed.getCount() > 0) {
          killed.countDown();
        }
      }
      assertThat(killed.await(60, TimeUnit.SECONDS))
          .as("reached " + killAfter + " acknowledgements")
          .isTrue();
      server.kill();
    }
    Map<String, Long> acked = new TreeMap<>(acknowledged);
    assertThat(acked).hasSizeGreaterThanOrEqualTo(killAfter);

    try (ServerProcess server = ServerProcess.start(data, "dur", client, peer, log);
        Client etcd = Client.builder().endpoints(endpoint).build()) {
      Map<String, KeyValue> stored = new TreeMap<>();
      for (KeyValue kv :
          etcd.getKVClient()
              .get(bs("dur/"), GetOption.builder().isPrefix(true).build())
              .get(30, TimeUnit.SECONDS)
              .getKvs()) {
        stored.put(kv.getKey().toString(StandardCharsets.UTF_8), kv);
      }
      for (Map.Entry<String, Long> ack : acked.entrySet()) {
        KeyValue kv = stored.get(ack.getKey());
        assertThat(kv).as("acknowledged %s (seed %d)", ack.getKey(), seed).isNotNull();
        assertThat(kv.getModRevision())
            .as("revision of %s (seed %d)", ack.getKey(), seed)
            .isEqualTo(ack.getValue());
      }
      // One key per revision, from 2 up: no gap, no reuse.
      TreeSet<Long> revisions = new TreeSet<>();
      stored.values().forEach(kv -> revisions.add(kv.getModRevision()));
      assertThat(revisions).hasSize(stored.size());
      assertThat(revisions.first()).isEqualTo(2);
      assertThat(revisions.last()).isEqualTo(1L + stored.size());
      long next =
          etcd.getKVClient()
              .put(bs("dur/after"), bs("x"))
              .get(30, TimeUnit.SECONDS)
              .getHeader()
              .getRevision();
      assertThat(next).as("seed %d", seed).isEqualTo(revisions.last() + 1);
    }
  }

  static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
