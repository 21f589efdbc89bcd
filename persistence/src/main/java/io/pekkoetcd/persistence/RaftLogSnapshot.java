package io.pekkoetcd.persistence;

import java.util.List;

/**
 * An immutable copy of the WAL's state: what {@link RaftLogStore} hands to its owner on {@code
 * Load}, and what the Pekko snapshot store keeps so that recovery does not replay every event since
 * the beginning.
 *
 * @param hardState term, vote and commit index
 * @param start where the log starts: entries up to and including {@code start.index()} were
 *     discarded (or replaced by a snapshot), with the term and membership at that point
 * @param entries the entries after {@code start.index()}, consecutive
 */
public record RaftLogSnapshot(HardState hardState, SnapshotPoint start, List<LogEntry> entries)
    implements WalSerializable {

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
    return lastIndex() == 0 && hardState.equals(HardState.EMPTY);
  }
}
