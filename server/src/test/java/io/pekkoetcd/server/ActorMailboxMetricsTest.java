package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.testkit.cluster.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow consumer shows as mailbox depth on the right actor: the KV actor's apply is blocked (its
 * one dispatcher thread is held, as a disk that stops answering would hold it) while reads and
 * writes keep arriving; {@code pekko_etcd_actor_mailbox_depth{actor="kv"}} on {@code /metrics}
 * rises while the Raft node's stays near zero, and drains to zero once the apply runs again.
 */
class ActorMailboxMetricsTest {
  @TempDir Path dir;

  private static final int READS = 60;
  private static final int WRITES = 20;

  @Test
  void aBlockedApplyShowsAsTheKvActorsMailboxDepth() throws Exception {
    try (InProcessMember m = InProcessMember.start(dir.resolve("data"), "mailbox-test")) {
      Poll.until(
          Duration.ofSeconds(20),
          "a leader",
          () -> HttpProbe.value(HttpProbe.metrics(m.endpoint()), "etcd_server_has_leader") == 1);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocked = new CountDownLatch(1);
      m.member()
          .system()
          .dispatchers()
          .lookup(DispatcherSelector.fromConfig("pekko-etcd.kv-dispatcher"))
          .execute(
              () -> {
                blocked.countDown();
                try {
                  release.await(60, TimeUnit.SECONDS); // bounded: the test releases it sooner
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<?>> requests = new ArrayList<>();
      try {
        for (int i = 0; i < WRITES; i++) {
          requests.add(
              m.member()
                  .put(
                      PutRequest.newBuilder()
                          .setKey(ByteString.copyFromUtf8("slow/" + i))
                          .setValue(ByteString.copyFromUtf8("v"))
                          .build())
                  .toCompletableFuture());
        }
        for (int i = 0; i < READS; i++) {
          requests.add(
              m.member()
                  .range(
                      RangeRequest.newBuilder()
                          .setKey(ByteString.copyFromUtf8("slow/0"))
                          .setSerializable(true)
                          .build())
                  .toCompletableFuture());
        }
        AtomicReference<String> seen = new AtomicReference<>("");
        Poll.until(
            Duration.ofSeconds(20),
            Duration.ofMillis(100),
            () -> "kv mailbox depth >= " + READS + "; last /metrics:\n" + depths(seen.get()),
            () -> {
              seen.set(HttpProbe.metrics(m.endpoint()));
              return HttpProbe.value(seen.get(), "pekko_etcd_actor_mailbox_depth", "actor=\"kv\"")
                  >= READS;
            });
        System.out.println("while the apply is blocked:\n" + depths(seen.get()));
        assertThat(HttpProbe.value(seen.get(), "pekko_etcd_actor_mailbox_depth", "actor=\"raft\""))
            .isLessThan(10);
        assertThat(requests).noneMatch(CompletableFuture::isDone);
      } finally {
        release.countDown();
      }
      CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      Poll.until(
          Duration.ofSeconds(20),
          Duration.ofMillis(100),
          () -> "kv mailbox drained",
          () ->
              HttpProbe.value(
                      HttpProbe.metrics(m.endpoint()),
                      "pekko_etcd_actor_mailbox_depth",
                      "actor=\"kv\"")
                  == 0);
    }
  }

  private static String depths(String metrics) {
    StringBuilder b = new StringBuilder();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("pekko_etcd_actor_mailbox_depth{")) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }
}
