package io.pekkoetcd.persistence;

import java.util.List;

/**
 * The journal events of {@link RaftLogStore}, in past tense. Replaying them in order rebuilds
 * {@link RaftLog}.
 */
public sealed interface WalEvent extends WalSerializable {

  /** The hard state became {@code hardState}. */
  record HardStateSet(HardState hardState) implements WalEvent {}

  /**
   * {@code entries} (consecutive indexes) were appended; any existing entry at or after the first
   * index was discarded first (Raft's conflict truncation).
   */
  record EntriesAppended(List<LogEntry> entries) implements WalEvent {}

  /**
   * Entries up to and including {@code point.index()} are no longer needed; {@code point} records
   * the term of that entry and the membership in force there, which a restart needs once the
   * entries that changed it are gone.
   */
  record LogCompacted(SnapshotPoint point) implements WalEvent {}

  /**
   * The log was replaced by a snapshot ending at {@code point}: every entry was discarded (a new
   * member's bootstrap, or a snapshot received from the leader).
   */
  record SnapshotSaved(SnapshotPoint point) implements WalEvent {}
}
