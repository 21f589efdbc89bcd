package io.pekkoetcd.persistence;

import java.util.List;

/** The journal events of {@link RaftLogStore}, in past tense. Replaying them in order rebuilds {@link RaftLog}. */
public sealed interface WalEvent extends WalSerializable {

  /** The hard state became {@code hardState}. */
  record HardStateSet(HardState hardState) implements WalEvent {}

  /**
   * {@code entries} (consecutive indexes) were appended; any existing entry at or after the first index was
   * discarded first (Raft's conflict truncation).
   */
  record EntriesAppended(List<LogEntry> entries) implements WalEvent {}

  /** Entries up to and including {@code index} (whose term was {@code term}) are no longer needed. */
  record LogCompacted(long index, long term) implements WalEvent {}
}
