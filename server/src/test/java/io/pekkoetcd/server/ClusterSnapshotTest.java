package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.HashKVRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.StatusResponse;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that was down while the leader compacted its WAL past the follower's log catches up by
 * an MVCC snapshot streamed over Artery (three real members on loopback, LevelDB stores and WALs):
 * afterwards it has installed a snapshot, its HashKV at the leader's revision equals the leader's,
 * serializable reads on it see the new data, and a watch on it sees later writes.
 */
class ClusterSnapshotTest {
  @TempDir Path dir;

  private static final int KEYS = 3000;
  private static final String PADDING = "x".repeat(600);

  @Test
  void followerBehindTheCompactedLogCatchesUpByStreamedSnapshot() throws Exception {
    try (ThreeMemberCluster c = compactingEvery100Entries()) {
      int leader = c.awaitLeader(Duration.ofSeconds(20));
      int follower = (leader + 1) % 3;
      join(c.member(leader).put(put("before", "stop")));
      c.stop(follower);

      // Far more entries than the leader keeps (100 after each compaction): puts, deletes, a txn, a
      // compaction.
      EtcdMember m = c.member(leader);
      // ~600-byte values: the image (~2 MB) takes several 1 MiB chunks over Artery's large-message
      // lane.
      putAll(m, KEYS, 64, i -> put(String.format("k/%05d", i), "v" + i + PADDING));
      for (int i = 0; i < 100; i += 10) {
        join(
            m.deleteRange(
                DeleteRangeRequest.newBuilder().setKey(bs(String.format("k/%05d", i))).build()));
      }
      long compactAt = join(m.put(put("compact-here", "x"))).getHeader().getRevision();
      join(
          m.txn(
              TxnRequest.newBuilder()
                  .addCompare(
                      Compare.newBuilder()
                          .setKey(bs("before"))
                          .setTarget(Compare.CompareTarget.VALUE)
                          .setResult(Compare.CompareResult.EQUAL)
                          .setValue(bs("stop")))
                  .addSuccess(RequestOp.newBuilder().setRequestPut(put("txn", "yes")))
                  .addSuccess(
                      RequestOp.newBuilder()
                          .setRequestDeleteRange(
                              DeleteRangeRequest.newBuilder().setKey(bs("k/00001"))))
                  .build()));
      join(
          m.compact(
              CompactionRequest.newBuilder().setRevision(compactAt).setPhysical(true).build()));
      join(m.put(put("after", "compaction")));

      long restartNanos = System.nanoTime();
      c.restart(follower);
      EtcdMember f = c.member(follower);
      ThreeMemberCluster.await(
          Duration.ofSeconds(30),
          "the restarted follower installs a snapshot and applies what the leader applied",
          () -> {
            StatusResponse ls = join(m.status());
            StatusResponse fs = join(f.status());
            return join(f.snapshotCounts()).installed() >= 1
                && fs.getRaftAppliedIndex() >= ls.getRaftAppliedIndex()
                && fs.getHeader().getRevision() == ls.getHeader().getRevision();
          });
      long caughtUpMs = (System.nanoTime() - restartNanos) / 1_000_000;
      assertThat(join(m.snapshotCounts()).sent()).isGreaterThanOrEqualTo(1);
      assertThat(join(f.snapshotCounts()).installed()).isEqualTo(1);

      long revision = join(m.status()).getHeader().getRevision();
      HashKVRequest at = HashKVRequest.newBuilder().setRevision(revision).build();
      assertThat(join(f.hashKV(at)).getHash()).isEqualTo(join(m.hashKV(at)).getHash());
      assertThat(join(f.hashKV(at)).getCompactRevision()).isEqualTo(compactAt);

      RangeResponse keys =
          join(
              f.range(
                  RangeRequest.newBuilder()
                      .setKey(bs("k/"))
                      .setRangeEnd(bs("k0"))
                      .setSerializable(true)
                      .setCountOnly(true)
                      .build()));
      assertThat(keys.getCount()).isEqualTo(KEYS - 10 - 1);
      RangeResponse txn =
          join(f.range(RangeRequest.newBuilder().setKey(bs("txn")).setSerializable(true).build()));
      assertThat(txn.getKvs(0).getValue().toStringUtf8()).isEqualTo("yes");

      // A watch on the follower, started after the install, sees later writes (made through the
      // leader).
      try (Client client = Client.builder().endpoints(c.endpoint(follower)).build()) {
        LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        CompletableFuture<Void> created = new CompletableFuture<>();
        try (Watch.Watcher w =
            client
                .getWatchClient()
                .watch(
                    ByteSequence.from("w/", StandardCharsets.UTF_8),
                    WatchOption.builder().isPrefix(true).withCreateNotify(true).build(),
                    r -> {
                      if (r.isCreatedNotify()) {
                        created.complete(null);
                      }
                      events.addAll(r.getEvents());
                    })) {
          created.get(10, TimeUnit.SECONDS);
          join(m.put(put("w/1", "seen")));
          WatchEvent e = events.poll(10, TimeUnit.SECONDS);
          assertThat(e).as("watch event on the follower").isNotNull();
          assertThat(e.getKeyValue().getValue().toString(StandardCharsets.UTF_8)).isEqualTo("seen");
        }
      }
      System.out.printf(
          "ClusterSnapshotTest: follower caught up %d ms after restart%n", caughtUpMs);
    }
  }

  /**
   * The Raft log is compacted every 10,000 applied entries even when {@code --snapshot-count} asks
   * for more (MemberConfig.compactionInterval: the log's entries are kept on the heap until then):
   * with a count of 1,000,000 and a catch-up tail of 100, a follower that missed 13,000 entries has
   * to be sent a snapshot (the store is made durable every 2,500 entries, and the log is compacted
   * only behind that point, so 13,000 entries compact it once). With the count obeyed it would
   * catch up from the leader's log instead.
   */
  @Test
  void theLogIsCompactedEveryTenThousandEntriesWhateverTheSnapshotCount() throws Exception {
    try (ThreeMemberCluster c =
        ThreeMemberCluster.start(
            dir,
            List.of(
                "--snapshot-count", "1000000", "--experimental-snapshot-catchup-entries", "100"))) {
      int leader = c.awaitLeader(Duration.ofSeconds(20));
      int follower = (leader + 1) % 3;
      EtcdMember m = c.member(leader);
      join(m.put(put("before", "stop")));
      c.stop(follower);
      putAll(m, 13_000, 128, i -> put("k/" + (i % 100), "v" + i));

      c.restart(follower);
      EtcdMember f = c.member(follower);
      ThreeMemberCluster.await(
          Duration.ofSeconds(60),
          "the restarted follower installs a snapshot and reaches the leader's revision",
          () ->
              join(f.snapshotCounts()).installed() >= 1
                  && join(f.status()).getHeader().getRevision()
                      == join(m.status()).getHeader().getRevision());
      assertThat(join(m.snapshotCounts()).sent()).isGreaterThanOrEqualTo(1);
    }
  }

  /**
   * A follower sent a snapshot while the leader keeps writing catches up from the leader's log
   * after that one snapshot: the leader does not compact while the store is streamed, nor past the
   * follower's match afterwards (LogRetention, etcd's inflightSnapshots). Before, with the log
   * compacted every 100 entries here, the writes made during the transfer compacted away the
   * entries right after the snapshot, and the follower was sent another one (and under enough load,
   * one after another for ever).
   */
  @Test
  void aFollowerSentASnapshotUnderWriteLoadCatchesUpWithThatOne() throws Exception {
    try (ThreeMemberCluster c = compactingEvery100Entries()) {
      int leader = c.awaitLeader(Duration.ofSeconds(20));
      int follower = (leader + 1) % 3;
      EtcdMember m = c.member(leader);
      join(m.put(put("before", "stop")));
      c.stop(follower);
      // ~2 KiB values over 3,000 keys: a ~6 MB image, several hundred milliseconds on the wire.
      String padding = "y".repeat(2048);
      putAll(m, KEYS, 64, i -> put(String.format("k/%05d", i), i + padding));

      // Writes go on, 64 in flight, from before the restart until 2,000 puts after the install
      // (bounded: at most 60,000 puts or 90 s).
      AtomicLong written = new AtomicLong();
      AtomicLong stopAt = new AtomicLong(60_000);
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                List<CompletableFuture<?>> batch = new ArrayList<>();
                while (written.get() < stopAt.get() && System.nanoTime() < deadline) {
                  long n = written.getAndIncrement();
                  batch.add(
                      m.put(put(String.format("w/%05d", n % KEYS), n + padding))
                          .toCompletableFuture());
                  if (batch.size() == 64) {
                    CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
                    batch.clear();
                  }
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
              });
      c.restart(follower);
      EtcdMember f = c.member(follower);
      ThreeMemberCluster.await(
          Duration.ofSeconds(60),
          "the restarted follower installs a snapshot",
          () -> join(f.snapshotCounts()).installed() >= 1);
      stopAt.set(Math.min(stopAt.get(), written.get() + 2_000));
      writer.get(120, TimeUnit.SECONDS);
      ThreeMemberCluster.await(
          Duration.ofSeconds(60),
          "the follower reaches the leader's revision",
          () ->
              join(f.status()).getHeader().getRevision()
                  == join(m.status()).getHeader().getRevision());
      System.out.printf(
          "ClusterSnapshotTest: %d puts written during the catch-up, snapshots sent %d%n",
          written.get(), join(m.snapshotCounts()).sent());
      assertThat(join(f.snapshotCounts()).installed()).as("snapshots installed").isEqualTo(1);
    }
  }

  /** Three members whose leader compacts its log every 100 entries, keeping 100. */
  private ThreeMemberCluster compactingEvery100Entries() throws Exception {
    return ThreeMemberCluster.start(
        dir, List.of("--snapshot-count", "100", "--experimental-snapshot-catchup-entries", "100"));
  }

  /** {@code count} puts made by {@code request}, at most {@code window} in flight. */
  private static void putAll(EtcdMember m, int count, int window, IntFunction<PutRequest> request)
      throws Exception {
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.add(m.put(request.apply(i)).toCompletableFuture());
      if (inFlight.size() == window || i == count - 1) {
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
            .get(30, TimeUnit.SECONDS);
        inFlight.clear();
      }
    }
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static PutRequest put(String key, String value) {
    return PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build();
  }

  private static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
