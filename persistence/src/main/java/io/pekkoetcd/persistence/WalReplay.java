package io.pekkoetcd.persistence;

import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.Snapshot;

/**
 * How each {@link WalEvent} changes the WAL's state, a raft-core {@link MemoryRaftStorage} owned by
 * the {@link RaftLogStore} actor (mutated only on its thread; it leaves the actor only as a {@link
 * RaftLogSnapshot} copy).
 */
final class WalReplay {
  private WalReplay() {}

  static MemoryRaftStorage apply(MemoryRaftStorage log, WalEvent event) {
    // Java 17 has no pattern switch: an instanceof chain, and an unknown event fails loudly.
    if (event instanceof WalEvent.HardStateSet e) {
      log.setHardState(e.hardState());
    } else if (event instanceof WalEvent.EntriesAppended e) {
      log.append(e.entries());
    } else if (event instanceof WalEvent.LogCompacted e) {
      Snapshot point = e.point();
      log.createSnapshot(point.index(), point.confState(), null);
      log.compact(point.index());
    } else if (event instanceof WalEvent.SnapshotSaved e) {
      log.applySnapshot(e.point());
    } else {
      throw new IllegalStateException("unknown WAL event " + event);
    }
    return log;
  }
}
