package io.pekkoetcd.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The log as Raft sees it: the caller's stable {@link RaftStorage} followed by the {@link
 * UnstableLog}, plus the commit and applied indexes. Invariant: applied ≤ committed ≤ lastIndex(),
 * and firstIndex() - 1 ≤ applied.
 */
final class RaftLog {

  private final RaftStorage storage;
  private final UnstableLog unstable;
  private long committed;
  private long applied;
  private final long maxBytesPerRead;

  RaftLog(RaftStorage storage, long maxBytesPerRead) {
    this.storage = storage;
    this.maxBytesPerRead = maxBytesPerRead;
    long first = storage.firstIndex();
    this.unstable = new UnstableLog(storage.lastIndex() + 1);
    this.committed = first - 1;
    this.applied = first - 1;
  }

  long committed() {
    return committed;
  }

  long applied() {
    return applied;
  }

  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i != -1 ? i : storage.firstIndex();
  }

  long lastIndex() {
    long i = unstable.maybeLastIndex();
    return i != -1 ? i : storage.lastIndex();
  }

  long lastTerm() {
    return term(lastIndex());
  }

  /**
   * Term at {@code i}; 0 when i is beyond the log (or 0 itself).
   *
   * @throws LogCompactedException when i is below the snapshot
   */
  long term(long i) {
    long dummy = firstIndex() - 1;
    if (i < dummy) {
      throw new LogCompactedException(i);
    }
    if (i > lastIndex()) {
      return 0;
    }
    long t = unstable.maybeTerm(i);
    if (t != -1) {
      return t;
    }
    return storage.term(i);
  }

  /** Term at {@code i}, or 0 when it is compacted or absent. */
  long zeroTermOnOutOfBounds(long i) {
    try {
      return term(i);
    } catch (LogCompactedException e) {
      return 0;
    }
  }

  boolean matchTerm(long i, long t) {
    try {
      return term(i) == t;
    } catch (LogCompactedException e) {
      return false;
    }
  }

  /**
   * Follower side of AppendEntries (Raft §5.3): if our entry at {@code index} has {@code logTerm},
   * append {@code ents} (dropping entries we already have, truncating from the first conflict) and
   * commit up to min(leaderCommit, last new index).
   *
   * @return the last index now known to match the leader's log, or -1 on mismatch
   */
  long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> ents) {
    if (!matchTerm(index, logTerm)) {
      return -1;
    }
    long lastNew = index + ents.size();
    long conflict = findConflict(ents);
    if (conflict != 0) {
      if (conflict <= committed) {
        throw new IllegalStateException(
            "entry " + conflict + " conflicts with committed entry " + committed);
      }
      append(ents.subList((int) (conflict - (index + 1)), ents.size()));
    }
    commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /**
   * Index of the first entry of {@code ents} whose term differs from ours (or that we lack); 0 when
   * we hold them all.
   */
  long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.index(), e.term())) {
        return e.index();
      }
    }
    return 0;
  }

  /**
   * Fast backtracking: the largest index ≤ {@code index} whose term is ≤ {@code term}, with that
   * term; the leader's and follower's logs cannot match anywhere above it. Returns {index, term}.
   */
  long[] findConflictByTerm(long index, long term) {
    long i = Math.min(index, lastIndex());
    while (i > 0) {
      long t;
      try {
        t = term(i);
      } catch (LogCompactedException e) {
        return new long[] {i, 0};
      }
      if (t <= term) {
        return new long[] {i, t};
      }
      i--;
    }
    return new long[] {0, 0};
  }

  /**
   * Appends entries at their indexes (truncating unstable entries they replace); returns the new
   * last index.
   */
  long append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return lastIndex();
    }
    long after = ents.get(0).index() - 1;
    if (after < committed) {
      throw new IllegalStateException("append after " + after + " is below committed " + committed);
    }
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  /**
   * Raises the commit index to {@code toCommit} (never lowers it). A commit beyond the last index
   * means this log lost entries the leader knows it has (a deleted or truncated data dir): fatal,
   * with etcd's exact panic text.
   */
  void commitTo(long toCommit) {
    if (committed < toCommit) {
      if (lastIndex() < toCommit) {
        throw new IllegalStateException(
            "tocommit("
                + toCommit
                + ") is out of range [lastIndex("
                + lastIndex()
                + ")]. Was the raft log corrupted, truncated, or lost?");
      }
      committed = toCommit;
    }
  }

  /**
   * Leader commit rule (Raft §5.4.2): advance commit to {@code maxIndex} only if that entry is from
   * {@code currentTerm}; earlier-term entries then commit indirectly by log matching.
   */
  boolean maybeCommit(long maxIndex, long currentTerm) {
    if (maxIndex > committed && zeroTermOnOutOfBounds(maxIndex) == currentTerm) {
      commitTo(maxIndex);
      return true;
    }
    return false;
  }

  void appliedTo(long i) {
    if (i == 0) {
      return;
    }
    if (i > committed || i < applied) {
      throw new IllegalStateException(
          "applied " + i + " out of range [" + applied + ", " + committed + "]");
    }
    applied = i;
  }

  void stableTo(long i, long t) {
    unstable.stableTo(i, t);
  }

  void stableSnapTo(long i) {
    unstable.stableSnapTo(i);
  }

  List<Entry> unstableEntries() {
    return new ArrayList<>(unstable.entries());
  }

  boolean hasUnstableEntries() {
    return !unstable.entries().isEmpty();
  }

  Snapshot unstableSnapshot() {
    return unstable.snapshot();
  }

  boolean hasPendingSnapshot() {
    return unstable.snapshot() != null;
  }

  /** Committed entries not yet applied, from max(applied + 1, firstIndex). */
  List<Entry> nextCommittedEntries() {
    long lo = Math.max(applied + 1, firstIndex());
    if (committed + 1 > lo) {
      return slice(lo, committed + 1, maxBytesPerRead);
    }
    return List.of();
  }

  boolean hasNextCommittedEntries() {
    return committed + 1 > Math.max(applied + 1, firstIndex());
  }

  /** Entries from {@code lo} to the end, at most {@code maxBytes} (at least one). */
  List<Entry> entriesFrom(long lo, long maxBytes) {
    if (lo > lastIndex()) {
      return List.of();
    }
    return slice(lo, lastIndex() + 1, maxBytes);
  }

  /**
   * Entries in [lo, hi) from storage then the unstable tail.
   *
   * @throws LogCompactedException if lo is below firstIndex
   */
  List<Entry> slice(long lo, long hi, long maxBytes) {
    if (lo < firstIndex()) {
      throw new LogCompactedException(lo);
    }
    if (hi > lastIndex() + 1) {
      throw new IllegalStateException(
          "slice [" + lo + "," + hi + ") beyond last index " + lastIndex());
    }
    List<Entry> result = new ArrayList<>();
    if (lo == hi) {
      return result;
    }
    long unstableOffset = unstable.offset();
    if (lo < unstableOffset) {
      List<Entry> stored = storage.entries(lo, Math.min(hi, unstableOffset), maxBytes);
      result.addAll(stored);
      if (stored.size() < Math.min(hi, unstableOffset) - lo) {
        return result; // size limit reached
      }
    }
    if (hi > unstableOffset) {
      long bytes = 0;
      for (Entry e : result) {
        bytes += e.sizeBytes();
      }
      for (Entry e : unstable.slice(Math.max(lo, unstableOffset), hi)) {
        bytes += e.sizeBytes();
        if (!result.isEmpty() && bytes > maxBytes) {
          break;
        }
        result.add(e);
      }
    }
    return result;
  }

  /** The leader's log is at least as up to date as (lastIndex, lastTerm)? (Raft §5.4.1) */
  boolean isUpToDate(long lastIndex, long lastTerm) {
    long ourTerm = lastTerm();
    return lastTerm > ourTerm || (lastTerm == ourTerm && lastIndex >= lastIndex());
  }

  /** A snapshot to send: the unstable one if any, else storage's. */
  Snapshot snapshot() {
    Snapshot s = unstable.snapshot();
    return s != null ? s : storage.snapshot();
  }

  /** Replaces the log by {@code snap}: everything up to its index is committed. */
  void restore(Snapshot snap) {
    committed = snap.index();
    unstable.restore(snap);
  }
}
