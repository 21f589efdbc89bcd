package io.pekkoetcd.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link RaftStorage}: for tests, and for callers that rebuild storage from their own
 * WAL on restart (apply the WAL's snapshot, hard state and entries, then hand this to {@link
 * RawNode}).
 *
 * <p>Internally {@code entries.get(0)} is a dummy entry standing for the snapshot (its index and
 * term), so entry {@code i} lives at position {@code i - offset()}. Not thread-safe: one owner.
 */
public final class MemoryRaftStorage implements RaftStorage {

  private HardState hardState = HardState.EMPTY;
  private Snapshot snapshot = Snapshot.EMPTY;
  private final ArrayList<Entry> entries = new ArrayList<>();

  public MemoryRaftStorage() {
    entries.add(new Entry(0, 0, EntryType.NORMAL, null));
  }

  /**
   * A new cluster member's storage: membership {@code conf} as a snapshot at index 1, term 1 (so
   * every member of the initial cluster starts from the same log, and members added later catch up
   * by snapshot).
   */
  public static MemoryRaftStorage bootstrap(ConfState conf) {
    MemoryRaftStorage storage = new MemoryRaftStorage();
    storage.applySnapshot(new Snapshot(1, 1, conf, null));
    return storage;
  }

  @Override
  public InitialState initialState() {
    return new InitialState(hardState, snapshot.confState());
  }

  public HardState hardState() {
    return hardState;
  }

  public void setHardState(HardState state) {
    this.hardState = state;
  }

  private long offset() {
    return entries.get(0).index();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    if (lo <= offset()) {
      throw new LogCompactedException(lo);
    }
    if (hi > lastIndex() + 1) {
      throw new LogUnavailableException(hi - 1);
    }
    List<Entry> result = new ArrayList<>();
    long bytes = 0;
    for (long i = lo; i < hi; i++) {
      Entry e = entries.get((int) (i - offset()));
      bytes += e.sizeBytes();
      if (!result.isEmpty() && bytes > maxBytes) {
        break;
      }
      result.add(e);
    }
    return result;
  }

  @Override
  public long term(long index) {
    if (index < offset()) {
      throw new LogCompactedException(index);
    }
    if (index > lastIndex()) {
      throw new LogUnavailableException(index);
    }
    return entries.get((int) (index - offset())).term();
  }

  @Override
  public long firstIndex() {
    return offset() + 1;
  }

  @Override
  public long lastIndex() {
    return offset() + entries.size() - 1;
  }

  @Override
  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * Replaces the whole log by {@code snap} (a snapshot received from the leader). Older snapshots
   * are ignored.
   */
  public void applySnapshot(Snapshot snap) {
    if (snap.index() <= snapshot.index()) {
      return;
    }
    snapshot = snap;
    entries.clear();
    entries.add(new Entry(snap.term(), snap.index(), EntryType.NORMAL, null));
  }

  /**
   * Records a snapshot of the caller's state machine at applied index {@code index} (which must be
   * in the log) with the membership in force there. Does not discard entries: see {@link #compact}.
   */
  public Snapshot createSnapshot(long index, ConfState conf, byte[] data) {
    if (index <= snapshot.index()) {
      return snapshot;
    }
    snapshot = new Snapshot(index, term(index), conf, data);
    return snapshot;
  }

  /**
   * Discards entries before {@code compactIndex}, which becomes the dummy; compactIndex must be ≤
   * lastIndex.
   */
  public void compact(long compactIndex) {
    if (compactIndex <= offset()) {
      return;
    }
    if (compactIndex > lastIndex()) {
      throw new LogUnavailableException(compactIndex);
    }
    int cut = (int) (compactIndex - offset());
    Entry dummy = entries.get(cut);
    entries.subList(0, cut + 1).clear();
    entries.add(0, new Entry(dummy.term(), dummy.index(), EntryType.NORMAL, null));
  }

  /**
   * Appends entries handed out by a {@link Ready}: an entry whose index is already present
   * truncates the log there first (a conflicting suffix is replaced). Entries at or below the
   * snapshot are skipped.
   */
  public void append(List<Entry> newEntries) {
    if (newEntries.isEmpty()) {
      return;
    }
    long first = firstIndex();
    List<Entry> toAdd = newEntries;
    if (newEntries.get(0).index() < first) {
      long last = newEntries.get(newEntries.size() - 1).index();
      if (last < first) {
        return;
      }
      toAdd = newEntries.subList((int) (first - newEntries.get(0).index()), newEntries.size());
    }
    long start = toAdd.get(0).index();
    if (start > lastIndex() + 1) {
      throw new IllegalStateException(
          "gap: appending " + start + " after last index " + lastIndex());
    }
    int keep = (int) (start - offset());
    entries.subList(keep, entries.size()).clear();
    entries.addAll(toAdd);
  }
}
