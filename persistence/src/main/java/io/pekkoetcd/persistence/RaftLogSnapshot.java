package io.pekkoetcd.persistence;

import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.Snapshot;
import java.util.List;

/**
 * An immutable copy of the WAL's state, in raft-core's types: what {@link RaftLogStore} hands to
 * its owner on {@code Load}, and what the Pekko snapshot store keeps so that recovery does not
 * replay every event since the beginning.
 *
 * @param hardState term, vote and commit index
 * @param start where the log starts (a snapshot's metadata, no data): entries up to and including
 *     {@code start.index()} were discarded (or replaced by a snapshot), with the term and
 *     membership at that point
 * @param entries the entries after {@code start.index()}, consecutive
 */
public record RaftLogSnapshot(HardState hardState, Snapshot start, List<Entry> entries)
    implements WalSerializable {

  public RaftLogSnapshot {
    entries = List.copyOf(entries);
  }

  /** Copies a WAL state (its own or a recovered one). */
  static RaftLogSnapshot of(MemoryRaftStorage storage) {
    long first = storage.firstIndex();
    long last = storage.lastIndex();
    List<Entry> entries =
        last < first ? List.of() : storage.entries(first, last + 1, Long.MAX_VALUE);
    return new RaftLogSnapshot(storage.hardState(), storage.snapshot(), entries);
  }

  /** A new {@link MemoryRaftStorage} holding this log: its owner's to mutate. */
  public MemoryRaftStorage toStorage() {
    MemoryRaftStorage storage = new MemoryRaftStorage();
    storage.applySnapshot(start);
    storage.append(entries);
    storage.setHardState(hardState);
    return storage;
  }

  public long compactedIndex() {
    return start.index();
  }

  public long lastIndex() {
    return start.index() + entries.size();
  }

  public long lastTerm() {
    return entries.isEmpty() ? start.term() : entries.get(entries.size() - 1).term();
  }

  /** Nothing was ever written: a new member. */
  public boolean isEmpty() {
    return lastIndex() == 0 && hardState.isEmpty();
  }
}
