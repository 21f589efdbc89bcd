package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.apply.Applied;
import io.pekkoetcd.actors.apply.KvApplier;
import io.pekkoetcd.mvcc.MvccExport;
import io.pekkoetcd.mvcc.MvccImport;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.mvcc.MvccStore;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.watch.WatchHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KvActor} installing a staged store: the store is swapped, the watch hub hears {@code
 * Restored} before the next batch, entries up to the new consistent index are skipped and later
 * ones applied — the same path a restart takes when a crash fell between the WAL's snapshot record
 * and the swap.
 */
class KvActorInstallTest {
  private static ActorTestKit testKit;

  @TempDir Path dataDir;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private MemberConfig config() {
    return new MemberConfig(
        "m1",
        1,
        7,
        List.of("http://127.0.0.1:1"),
        List.of("http://127.0.0.1:2"),
        dataDir,
        100,
        100,
        128,
        1 << 20,
        Duration.ofSeconds(5),
        100,
        List.of(1L),
        Duration.ofMillis(50),
        10,
        1,
        Duration.ofMinutes(10),
        List.of(new MemberConfig.Peer(1, "m1", List.of("http://127.0.0.1:1"))),
        Duration.ZERO,
        MemberConfig.Maintenance.DEFAULTS,
        MemberConfig.Auth.DEFAULTS);
  }

  private static InternalRaftRequest put(String key, String value) {
    return InternalRaftRequest.newBuilder()
        .setPut(
            PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)))
        .build();
  }

  private static Entry entry(long index, InternalRaftRequest r) {
    return new Entry(2, index, EntryType.NORMAL, r.toByteArray());
  }

  @Test
  void installsTheStagedStoreTellsTheHubAndSkipsWhatItHolds() throws Exception {
    MemberConfig config = config();
    // The leader's store: 50 puts at indexes 1..50, staged on this member for the snapshot at index
    // 40.
    try (MvccStore leader = MvccStore.open(dataDir.resolve("leader"), MvccOptions.defaults())) {
      List<Applied> batch = new ArrayList<>();
      for (int i = 1; i <= 50; i++) {
        batch.add(new Applied(i, put("k" + i, "v" + i)));
      }
      new KvApplier(leader).applyBatch(batch);
      Files.createDirectories(config.snapDir());
      Path staging = SnapshotFiles.staging(config.snapDir(), 9);
      MvccImport imp = MvccImport.begin(staging);
      try (MvccExport export = leader.export()) {
        byte[] image = export.readAllBytes();
        imp.accept(image, 0, image.length);
      }
      imp.finish();
      SnapshotFiles.publish(staging, config.snapDir(), 40);
    }
    MvccStore own = MvccStore.open(config.kvDir(), KvActor.storeOptions(config));
    new KvApplier(own).applyBatch(List.of(new Applied(1, put("old", "x"))));
    ActorRef<KvActor.Command> kv =
        testKit.spawn(KvActor.create(config, own, new PendingRequests(() -> 1L)));
    TestProbe<WatchHub.Command> hub = testKit.createTestProbe();
    kv.tell(new KvActor.PublishTo(hub.ref()));
    hub.expectMessageClass(WatchHub.Published.class);

    kv.tell(new KvActor.InstallSnapshot(40, 2));
    TestProbe<KvActor.AppliedTo> applied = testKit.createTestProbe();
    // Raft hands out the entries after the snapshot: 41..50 are in the store already, 51 is new.
    List<Entry> after = new ArrayList<>();
    for (long i = 41; i <= 51; i++) {
      after.add(entry(i, put("k" + i, i == 51 ? "new" : "v" + i)));
    }
    kv.tell(new KvActor.Apply(after, 2, applied.ref()));

    WatchHub.Restored restored = hub.expectMessageClass(WatchHub.Restored.class);
    assertThat(restored.currentRevision()).isEqualTo(51);
    WatchHub.Published next = hub.expectMessageClass(WatchHub.Published.class);
    assertThat(next.revisions()).hasSize(1);
    assertThat(next.revisions().get(0).revision()).isEqualTo(52);
    assertThat(applied.receiveMessage().appliedIndex()).isEqualTo(51);

    TestProbe<StatusReply<RangeResponse>> reads = testKit.createTestProbe();
    kv.tell(
        new KvActor.Range(
            RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("k"))
                .setRangeEnd(ByteString.copyFromUtf8("l"))
                .build(),
            reads.ref()));
    assertThat(reads.receiveMessage().getValue().getCount()).isEqualTo(51);
    kv.tell(
        new KvActor.Range(
            RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("old")).build(), reads.ref()));
    assertThat(reads.receiveMessage().getValue().getCount()).as("the old store is gone").isZero();
    TestProbe<KvActor.KvStatus> status = testKit.createTestProbe();
    kv.tell(new KvActor.GetStatus(status.ref()));
    assertThat(status.receiveMessage().snapshotsInstalled()).isEqualTo(1);
    assertThat(SnapshotFiles.staged(config.snapDir(), 40)).doesNotExist();

    // On a restart the Raft node asks again: the store holds the index, nothing changes.
    kv.tell(new KvActor.InstallSnapshot(40, 2));
    kv.tell(new KvActor.GetStatus(status.ref()));
    assertThat(status.receiveMessage().snapshotsInstalled()).isEqualTo(1);
    testKit.stop(kv);
  }
}
