package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.apply.Applied;
import io.pekkoetcd.actors.apply.KvApplier;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.mvcc.MvccStore;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SnapshotSender} → {@link SnapshotReceiver} on real LevelDB stores, without Artery:
 * chunking (small chunks, a window of two), reassembly into a staged store equal to the exported
 * one, the MsgSnap stepped only after that, and a corrupted chunk failing the transfer (nothing
 * staged, nothing stepped) while the next transfer succeeds.
 */
class SnapshotStreamingTest {

  private static ActorTestKit testKit;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static final long CLUSTER = 0xcdf818194e3a8c32L;
  private static final long LEADER = 1;
  private static final long FOLLOWER = 2;
  private static final SnapshotSender.Settings SMALL =
      new SnapshotSender.Settings(4096, 2, Duration.ofSeconds(5));

  /** A store with {@code n} puts of ~100-byte values at Raft indexes 1..n. */
  private MvccStore storeWith(Path at, int n) {
    MvccStore store = MvccStore.open(at, MvccOptions.defaults());
    List<Applied> batch = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      PutRequest put =
          PutRequest.newBuilder()
              .setKey(ByteString.copyFromUtf8("key-" + (i % 300)))
              .setValue(ByteString.copyFromUtf8("value-" + i + "-" + "x".repeat(100)))
              .build();
      batch.add(new Applied(i, InternalRaftRequest.newBuilder().setPut(put).build()));
    }
    new KvApplier(store).applyBatch(batch);
    return store;
  }

  /** Stands in for the KV actor: answers ExportSnapshot from {@code store}. */
  private static Behavior<KvActor.Command> exporter(MvccStore store) {
    return Behaviors.receiveMessage(
        m -> {
          if (m instanceof KvActor.ExportSnapshot e) {
            e.replyTo().tell(new KvActor.Exported(store.export(), null));
          }
          return Behaviors.same();
        });
  }

  /**
   * Forwards chunks to {@code receiver}, flipping one byte of chunk {@code corruptSeq} (-1: none).
   */
  private static Behavior<SnapshotReceiver.Command> relay(
      ActorRef<SnapshotReceiver.Command> receiver, long corruptSeq) {
    return Behaviors.receiveMessage(
        m -> {
          if (m instanceof SnapshotReceiver.Chunk c && c.seq() == corruptSeq) {
            byte[] data = c.data().clone();
            data[data.length / 2] ^= 0x40;
            receiver.tell(
                new SnapshotReceiver.Chunk(
                    c.clusterId(),
                    c.transferId(),
                    c.msgSnap(),
                    c.seq(),
                    data,
                    c.last(),
                    c.totalBytes(),
                    c.crc32c(),
                    c.replyTo()));
          } else {
            receiver.tell(m);
          }
          return Behaviors.same();
        });
  }

  @Test
  void corruptedChunkFailsTheTransferAndTheNextTransferStagesAnEqualStore() throws Exception {
    MvccStore leaderStore = storeWith(dir.resolve("leader-kv"), 2000);
    int hash = leaderStore.hashKV(0);
    Path snapDir = Files.createDirectories(dir.resolve("snap"));
    Message.MsgSnap msgSnap =
        new Message.MsgSnap(
            LEADER,
            FOLLOWER,
            3,
            new Snapshot(1500, 2, new ConfState(Set.of(1L, 2L, 3L), Set.of()), null));
    TestProbe<RaftNode.Command> raft = testKit.createTestProbe();
    ActorRef<SnapshotReceiver.Command> receiver =
        testKit.spawn(
            SnapshotReceiver.create(CLUSTER, snapDir, raft.ref(), Duration.ofSeconds(30)));
    ActorRef<KvActor.Command> kv = testKit.spawn(exporter(leaderStore));
    TestProbe<SnapshotSender.Finished> finished = testKit.createTestProbe();

    ActorRef<SnapshotReceiver.Command> corrupting = testKit.spawn(relay(receiver, 1));
    testKit.spawn(
        SnapshotSender.create(
            CLUSTER,
            msgSnap,
            kv,
            () -> CompletableFuture.completedFuture(corrupting),
            finished.ref(),
            SMALL));
    SnapshotSender.Finished failed = finished.expectMessageClass(SnapshotSender.Finished.class);
    assertThat(failed.success()).isFalse();
    assertThat(failed.peer()).isEqualTo(FOLLOWER);
    raft.expectNoMessage(Duration.ofMillis(200));
    assertThat(Files.exists(SnapshotFiles.staged(snapDir, 1500))).isFalse();
    try (var left = Files.list(snapDir)) {
      assertThat(left).as("the staging directory is gone").isEmpty();
    }

    // Raft retries later (reportSnapshot(false) → probe → MsgSnap again): a clean transfer
    // succeeds.
    ActorRef<SnapshotReceiver.Command> clean = testKit.spawn(relay(receiver, -1));
    testKit.spawn(
        SnapshotSender.create(
            CLUSTER,
            msgSnap,
            kv,
            () -> CompletableFuture.completedFuture(clean),
            finished.ref(),
            SMALL));
    SnapshotSender.Finished ok =
        finished.expectMessageClass(SnapshotSender.Finished.class, Duration.ofSeconds(10));
    assertThat(ok.success()).isTrue();
    assertThat(ok.chunks()).isGreaterThan(10);
    RaftNode.Step step = raft.expectMessageClass(RaftNode.Step.class);
    assertThat(step.message()).isEqualTo(msgSnap);
    Path staged = SnapshotFiles.staged(snapDir, 1500);
    try (MvccStore copy = MvccStore.open(staged, MvccOptions.defaults())) {
      assertThat(copy.consistentIndex()).isEqualTo(2000);
      assertThat(copy.hashKV(0)).isEqualTo(hash);
    }
    leaderStore.close();
  }

  @Test
  void chunksAndAcksSurviveTheWireFormat() throws Exception {
    RaftWireSerializer serializer =
        new RaftWireSerializer((ExtendedActorSystem) Adapter.toClassic(testKit.system()));
    TestProbe<SnapshotSender.Command> replyTo = testKit.createTestProbe();
    Message.MsgSnap msgSnap =
        new Message.MsgSnap(
            LEADER,
            FOLLOWER,
            3,
            new Snapshot(7, 2, new ConfState(Set.of(1L, 2L), Set.of(3L)), null));
    SnapshotReceiver.Chunk chunk =
        new SnapshotReceiver.Chunk(
            CLUSTER, 42, msgSnap, 5, new byte[] {1, 2, 3}, true, 99, 0xcafebabe, replyTo.ref());
    SnapshotReceiver.Chunk back =
        (SnapshotReceiver.Chunk)
            serializer.fromBinary(serializer.toBinary(chunk), serializer.manifest(chunk));
    assertThat(back.msgSnap().toString()).isEqualTo(msgSnap.toString());
    assertThat(back.data()).containsExactly(1, 2, 3);
    assertThat(back.replyTo()).isEqualTo(replyTo.ref());
    assertThat(List.of(back.transferId(), back.seq(), back.totalBytes()))
        .containsExactly(42L, 5L, 99L);
    assertThat(back.crc32c()).isEqualTo(0xcafebabe);
    assertThat(back.clusterId()).isEqualTo(CLUSTER);
    assertThat(back.last()).isTrue();
    SnapshotSender.Ack ack = new SnapshotSender.Ack(42, 5, false, "checksum mismatch");
    assertThat(serializer.fromBinary(serializer.toBinary(ack), serializer.manifest(ack)))
        .isEqualTo(ack);
  }

  @Test
  void chunksFromAnotherClusterAreRefusedAndNothingIsStaged() throws Exception {
    Path snapDir = Files.createDirectories(dir.resolve("snap-foreign"));
    TestProbe<RaftNode.Command> raft = testKit.createTestProbe();
    ActorRef<SnapshotReceiver.Command> receiver =
        testKit.spawn(
            SnapshotReceiver.create(CLUSTER, snapDir, raft.ref(), Duration.ofSeconds(30)));
    TestProbe<SnapshotSender.Command> replyTo = testKit.createTestProbe();
    Message.MsgSnap msgSnap =
        new Message.MsgSnap(
            LEADER, FOLLOWER, 3, new Snapshot(7, 2, new ConfState(Set.of(1L, 2L), Set.of()), null));
    receiver.tell(
        new SnapshotReceiver.Chunk(
            CLUSTER + 1, 9, msgSnap, 0, new byte[] {1}, true, 1, 0, replyTo.ref()));
    SnapshotSender.Ack ack = (SnapshotSender.Ack) replyTo.receiveMessage();
    assertThat(ack.done()).isFalse();
    assertThat(ack.error()).isEqualTo("request cluster ID mismatch");
    try (var left = Files.list(snapDir)) {
      assertThat(left).isEmpty();
    }
  }
}
