package io.pekkoetcd.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of the log not yet handed to storage: possibly an incoming snapshot, then entries
 * starting at {@code offset}. Entries leave it when the caller reports them stable ({@link
 * #stableTo}).
 */
final class UnstableLog {

  private Snapshot snapshot;
  private final ArrayList<Entry> entries = new ArrayList<>();
  private long offset;

  UnstableLog(long offset) {
    this.offset = offset;
  }

  Snapshot snapshot() {
    return snapshot;
  }

  List<Entry> entries() {
    return entries;
  }

  /** First index if only a snapshot is unstable (its index + 1); -1 if unknown here. */
  long maybeFirstIndex() {
    return snapshot != null ? snapshot.index() + 1 : -1;
  }

  /** Last index known here; -1 if neither entries nor a snapshot. */
  long maybeLastIndex() {
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
    }
    return snapshot != null ? snapshot.index() : -1;
  }

  /** Term at {@code i} if known here, else -1. */
  long maybeTerm(long i) {
    if (i < offset) {
      return snapshot != null && snapshot.index() == i ? snapshot.term() : -1;
    }
    long last = maybeLastIndex();
    if (last == -1 || i > last) {
      return -1;
    }
    return entries.get((int) (i - offset)).term();
  }

  /** The caller persisted entries up to (i, t): drop them, unless they were since replaced. */
  void stableTo(long i, long t) {
    long term = maybeTerm(i);
    if (term == -1 || term != t || i < offset) {
      return;
    }
    entries.subList(0, (int) (i + 1 - offset)).clear();
    offset = i + 1;
  }

  void stableSnapTo(long i) {
    if (snapshot != null && snapshot.index() == i) {
      snapshot = null;
    }
  }

  void restore(Snapshot snap) {
    offset = snap.index() + 1;
    entries.clear();
    snapshot = snap;
  }

  /** Appends, truncating any unstable suffix the new entries conflict with (Raft §5.3). */
  void truncateAndAppend(List<Entry> ents) {
    long after = ents.get(0).index();
    if (after == offset + entries.size()) {
      entries.addAll(ents);
    } else if (after <= offset) {
      // Replacing everything unstable: the log (storage) is truncated from `after` on persist.
      offset = after;
      entries.clear();
      entries.addAll(ents);
    } else {
      entries.subList((int) (after - offset), entries.size()).clear();
      entries.addAll(ents);
    }
  }

  /** Entries in [lo, hi), which must lie within the unstable range. */
  List<Entry> slice(long lo, long hi) {
    return new ArrayList<>(entries.subList((int) (lo - offset), (int) (hi - offset)));
  }

  long offset() {
    return offset;
  }
}
