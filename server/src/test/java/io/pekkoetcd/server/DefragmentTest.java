package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.pekkoetcd.protocol.etcdserverpb.StatusResponse;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defragment under a concurrent write load: {@code etcdctl defrag} while a client keeps writing
 * loses no acknowledged write, and after a compaction it shrinks the store; Status's {@code dbSize}
 * and {@code dbSizeInUse} report it. Prints the sizes, the defragment's time and the writes done
 * meanwhile.
 */
class DefragmentTest {
  @TempDir java.nio.file.Path dir;

  private static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Test
  void defragUnderWritesLosesNothingAndShrinks() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl (etcd-client) is not installed");
    try (InProcessMember m = InProcessMember.start(dir.resolve("data"), "defrag");
        Client client = Client.builder().endpoints(m.endpoint()).build()) {
      String value = "v".repeat(2000);
      long rev = 0;
      for (int i = 0; i < 1000; i++) {
        rev =
            client
                .getKVClient()
                .put(bs("k" + (i % 50)), bs(value + i))
                .get()
                .getHeader()
                .getRevision();
      }
      client.getKVClient().compact(rev).get(10, TimeUnit.SECONDS);
      StatusResponse before = status(m);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong acked = new AtomicLong();
      AtomicLong duringDefrag = new AtomicLong(-1);
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 3000 && !stop.get(); i++) {
                  client.getKVClient().put(bs("w" + i), bs("x")).join();
                  acked.incrementAndGet();
                }
              });
      io.pekkoetcd.testkit.cluster.Poll.until(
          java.time.Duration.ofSeconds(30),
          java.time.Duration.ofMillis(5),
          () -> "200 writes before the defragment",
          () -> acked.get() >= 200);
      long atStart = acked.get();
      long t0 = System.nanoTime();
      Etcdctl.Result defrag = Etcdctl.run(m.endpoint(), null, "defrag");
      long defragMs = (System.nanoTime() - t0) / 1_000_000;
      duringDefrag.set(acked.get() - atStart);
      long afterDefrag = acked.get();
      io.pekkoetcd.testkit.cluster.Poll.until(
          java.time.Duration.ofSeconds(30),
          java.time.Duration.ofMillis(5),
          () -> "writes after the defragment",
          () -> acked.get() >= Math.min(3000, afterDefrag + 200) || writer.isDone());
      stop.set(true);
      writer.get(60, TimeUnit.SECONDS);
      assertThat(defrag.output()).contains("Finished defragmenting etcd member");

      // every acknowledged write is there
      long written = acked.get();
      long found =
          client
              .getKVClient()
              .get(bs("w"), GetOption.builder().isPrefix(true).withCountOnly(true).build())
              .get()
              .getCount();
      assertThat(found).isEqualTo(written);

      StatusResponse after = status(m);
      System.out.printf(
          "DEFRAG: dbSize %d -> %d bytes, dbSizeInUse %d -> %d, defrag took %d ms,"
              + " %d writes acknowledged during it, %d in all%n",
          before.getDbSize(),
          after.getDbSize(),
          before.getDbSizeInUse(),
          after.getDbSizeInUse(),
          defragMs,
          duringDefrag.get(),
          written);
      assertThat(after.getDbSize()).isLessThan(before.getDbSize() / 2);
      assertThat(after.getDbSizeInUse()).isPositive().isLessThanOrEqualTo(after.getDbSize());
    }
  }

  private static StatusResponse status(InProcessMember m) throws Exception {
    return m.member().status().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
