package io.pekkoetcd.persistence;

import java.util.List;

/**
 * An immutable copy of the WAL's state: what {@link RaftLogStore} hands to its owner on {@code Load}, and what the
 * Pekko snapshot store keeps so that recovery does not replay every event since the beginning.
 *
 * @param hardState term, vote and commit index
 * @param compactedIndex entries up to and including this index were discarded (0 = none)
 * @param compactedTerm the term of the entry at {@code compactedIndex} (0 when none)
 * @param entries the entries after {@code compactedIndex}, consecutive
 */
public record RaftLogSnapshot(HardState hardState, long compactedIndex, long compactedTerm, List<LogEntry> entries)
    implements WalSerializable {

  public long lastIndex() {
    return compactedIndex + entries.size();
  }

  public long lastTerm() {
    return entries.isEmpty() ? compactedTerm : entries.get(entries.size() - 1).term();
  }
}
