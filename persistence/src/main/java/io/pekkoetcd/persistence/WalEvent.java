package io.pekkoetcd.persistence;

import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.Snapshot;
import java.util.List;

/**
 * The journal events of {@link RaftLogStore}, in past tense, over raft-core's own types. Replaying
 * them in order onto an empty {@link io.pekkoetcd.raft.MemoryRaftStorage} rebuilds the log ({@link
 * WalReplay}).
 */
public sealed interface WalEvent extends WalSerializable {

  /** The hard state became {@code hardState}. */
  record HardStateSet(HardState hardState) implements WalEvent {}

  /**
   * {@code entries} (consecutive indexes) were appended; any existing entry at or after the first
   * index was discarded first (Raft's conflict truncation).
   */
  record EntriesAppended(List<Entry> entries) implements WalEvent {
    public EntriesAppended {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Entries up to and including {@code point.index()} are no longer needed; {@code point} (a
   * snapshot's metadata, no data) records the term of that entry and the membership in force there,
   * which a restart needs once the entries that changed it are gone.
   */
  record LogCompacted(Snapshot point) implements WalEvent {}

  /**
   * The log was replaced by a snapshot ending at {@code point} (metadata, no data): every entry was
   * discarded (a new member's bootstrap, or a snapshot received from the leader).
   */
  record SnapshotSaved(Snapshot point) implements WalEvent {}
}
