package io.pekkoetcd.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * The recovered Raft log: hard state plus the entries after the last compaction point. This is the
 * state of {@link RaftLogStore}; it is mutated only by {@link #apply(WalEvent)} on the store's own
 * thread and is copied into an immutable {@link RaftLogSnapshot} whenever it leaves the actor.
 *
 * <p>Invariant: {@code entries.get(i).index() == start.index() + 1 + i} (no gaps).
 */
final class RaftLog {
  private HardState hardState = HardState.EMPTY;
  private SnapshotPoint start = SnapshotPoint.EMPTY;
  private final ArrayList<LogEntry> entries = new ArrayList<>();

  static RaftLog fromSnapshot(RaftLogSnapshot s) {
    RaftLog log = new RaftLog();
    log.hardState = s.hardState();
    log.start = s.start();
    log.entries.addAll(s.entries());
    return log;
  }

  RaftLog apply(WalEvent event) {
    if (event instanceof WalEvent.HardStateSet e) {
      hardState = e.hardState();
    } else if (event instanceof WalEvent.EntriesAppended e) {
      append(e.entries());
    } else if (event instanceof WalEvent.LogCompacted e) {
      compact(e.point());
    } else if (event instanceof WalEvent.SnapshotSaved e) {
      entries.clear();
      start = e.point();
    } else {
      throw new IllegalStateException("unknown WAL event " + event);
    }
    return this;
  }

  private void append(List<LogEntry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    long first = batch.get(0).index();
    if (first <= compactedIndex()) {
      throw new IllegalStateException(
          "append at " + first + " below compaction point " + compactedIndex());
    }
    if (first > lastIndex() + 1) {
      throw new IllegalStateException("append at " + first + " leaves a gap after " + lastIndex());
    }
    // Truncate the conflicting suffix, then append.
    int keep = (int) (first - compactedIndex() - 1);
    entries.subList(keep, entries.size()).clear();
    entries.addAll(batch);
  }

  private void compact(SnapshotPoint point) {
    if (point.index() <= compactedIndex()) {
      return;
    }
    int drop = (int) Math.min(entries.size(), point.index() - compactedIndex());
    entries.subList(0, drop).clear();
    start = point;
  }

  HardState hardState() {
    return hardState;
  }

  long compactedIndex() {
    return start.index();
  }

  SnapshotPoint start() {
    return start;
  }

  long lastIndex() {
    return compactedIndex() + entries.size();
  }

  /**
   * The term of entry {@code index}, or -1 when it is not in the log (compacted or beyond the end).
   */
  long term(long index) {
    if (index == compactedIndex()) {
      return start.term();
    }
    if (index < compactedIndex() || index > lastIndex()) {
      return -1;
    }
    return entries.get((int) (index - compactedIndex() - 1)).term();
  }

  RaftLogSnapshot snapshot() {
    return new RaftLogSnapshot(hardState, start, List.copyOf(entries));
  }
}
