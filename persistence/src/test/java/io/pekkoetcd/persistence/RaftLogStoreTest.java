package io.pekkoetcd.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL on the real LevelDB journal: answers only after persisting, recovers after a restart of
 * the system.
 */
class RaftLogStoreTest {
  @TempDir Path dir;

  private Config config() {
    return ConfigFactory.parseString(
            "pekko.persistence.journal.leveldb.dir = \""
                + dir.resolve("wal")
                + "\"\n"
                + "pekko.persistence.snapshot-store.local.dir = \""
                + dir.resolve("snap")
                + "\"\n"
                // A deadline for each expected answer, not a wait: on a loaded 2-core machine a
                // LevelDB
                // open and fsync took longer than the 3 s default.
                + "pekko.actor.testkit.typed.single-expect-default = 30s\n")
        .withFallback(ConfigFactory.parseResources("pekko-etcd-persistence.conf"))
        .withFallback(ConfigFactory.load());
  }

  private static Entry entry(long index, long term) {
    return new Entry(term, index, EntryType.NORMAL, ("e" + index).getBytes(StandardCharsets.UTF_8));
  }

  private static Snapshot point(long index, long term, Set<Long> voters, Set<Long> learners) {
    return new Snapshot(index, term, new ConfState(voters, learners), null);
  }

  private static List<Entry> entries(long from, long to, long term) {
    return LongStream.rangeClosed(from, to).mapToObj(i -> entry(i, term)).toList();
  }

  private RaftLogSnapshot load(ActorTestKit kit, ActorRef<RaftLogStore.Command> store) {
    TestProbe<RaftLogSnapshot> probe = kit.createTestProbe();
    store.tell(new RaftLogStore.Load(probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void appendsAreAnsweredAndSurviveARestart() {
    ActorTestKit kit = ActorTestKit.create(config());
    try {
      ActorRef<RaftLogStore.Command> store = kit.spawn(RaftLogStore.create(1, 1000));
      TestProbe<RaftLogStore.Appended> acks = kit.createTestProbe();
      store.tell(
          new RaftLogStore.Append(
              Optional.empty(), entries(1, 3, 2), Optional.of(new HardState(2, 1, 0)), acks.ref()));
      assertThat(acks.receiveMessage().lastIndex()).isEqualTo(3);
      // A conflicting suffix is truncated: 3 is replaced by a term-3 entry, then 4 follows.
      store.tell(
          new RaftLogStore.Append(
              Optional.empty(), entries(3, 4, 3), Optional.of(new HardState(3, 1, 2)), acks.ref()));
      RaftLogStore.Appended second = acks.receiveMessage();
      assertThat(second.lastIndex()).isEqualTo(4);
      assertThat(second.hardState()).isEqualTo(new HardState(3, 1, 2));
    } finally {
      kit.shutdownTestKit();
    }

    ActorTestKit again = ActorTestKit.create(config());
    try {
      RaftLogSnapshot log = load(again, again.spawn(RaftLogStore.create(1, 1000)));
      assertThat(log.hardState()).isEqualTo(new HardState(3, 1, 2));
      assertThat(log.entries()).containsExactly(entry(1, 2), entry(2, 2), entry(3, 3), entry(4, 3));
    } finally {
      again.shutdownTestKit();
    }
  }

  @Test
  void aSavedSnapshotReplacesTheLog() {
    ActorTestKit kit = ActorTestKit.create(config());
    try {
      ActorRef<RaftLogStore.Command> store = kit.spawn(RaftLogStore.create(3, 1000));
      TestProbe<RaftLogStore.Appended> acks = kit.createTestProbe();
      store.tell(
          new RaftLogStore.Append(
              Optional.empty(), entries(1, 5, 1), Optional.empty(), acks.ref()));
      acks.receiveMessage();
      Snapshot point = point(20, 4, Set.of(1L, 2L, 3L), Set.of(9L));
      store.tell(
          new RaftLogStore.Append(
              Optional.of(point),
              entries(21, 22, 4),
              Optional.of(new HardState(4, 2, 22)),
              acks.ref()));
      assertThat(acks.receiveMessage().lastIndex()).isEqualTo(22);
    } finally {
      kit.shutdownTestKit();
    }
    ActorTestKit again = ActorTestKit.create(config());
    try {
      RaftLogSnapshot log = load(again, again.spawn(RaftLogStore.create(3, 1000)));
      assertThat(log.start()).isEqualTo(point(20, 4, Set.of(1L, 2L, 3L), Set.of(9L)));
      assertThat(log.entries()).containsExactlyElementsOf(entries(21, 22, 4));
      assertThat(log.hardState()).isEqualTo(new HardState(4, 2, 22));
    } finally {
      again.shutdownTestKit();
    }
  }

  @Test
  void compactionAndSnapshotsKeepOnlyTheTail() {
    ActorTestKit kit = ActorTestKit.create(config());
    try {
      // A snapshot every 3 events, so the recovery below must start from a snapshot.
      ActorRef<RaftLogStore.Command> store = kit.spawn(RaftLogStore.create(7, 3));
      TestProbe<RaftLogStore.Appended> acks = kit.createTestProbe();
      for (long i = 1; i <= 10; i++) {
        store.tell(
            new RaftLogStore.Append(
                Optional.empty(), List.of(entry(i, 1)), Optional.empty(), acks.ref()));
        acks.receiveMessage();
      }
      store.tell(new RaftLogStore.Compact(6, ConfState.ofVoters(7L)));
      RaftLogSnapshot log = load(kit, store);
      assertThat(log.start()).isEqualTo(point(6, 1, Set.of(7L), Set.of()));
      assertThat(log.entries()).containsExactlyElementsOf(entries(7, 10, 1));
    } finally {
      kit.shutdownTestKit();
    }

    ActorTestKit again = ActorTestKit.create(config());
    try {
      RaftLogSnapshot log = load(again, again.spawn(RaftLogStore.create(7, 3)));
      assertThat(log.start()).isEqualTo(point(6, 1, Set.of(7L), Set.of()));
      assertThat(log.lastIndex()).isEqualTo(10);
      assertThat(log.entries()).containsExactlyElementsOf(entries(7, 10, 1));
    } finally {
      again.shutdownTestKit();
    }
  }
}
