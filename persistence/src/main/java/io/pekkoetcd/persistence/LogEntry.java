package io.pekkoetcd.persistence;

import java.util.Objects;

/**
 * One Raft log entry as the WAL stores it.
 *
 * @param index the entry's position in the Raft log, starting at 1
 * @param term the leader term in which the entry was created
 * @param kind what {@code data} holds
 * @param data opaque payload; for {@link Kind#NORMAL} a serialized {@code InternalRaftRequest}
 *     (empty for the leader's no-op). Never mutated after construction.
 */
public record LogEntry(long index, long term, Kind kind, byte[] data) implements WalSerializable {

  /** What an entry carries. */
  public enum Kind {
    /** A client or server request (or an empty no-op appended by a new leader). */
    NORMAL,
    /** A Raft configuration change. */
    CONF_CHANGE
  }

  public LogEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(data, "data");
    if (index < 1) {
      throw new IllegalArgumentException("index must be >= 1: " + index);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry e
        && e.index == index
        && e.term == term
        && e.kind == kind
        && java.util.Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, term, kind, java.util.Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "LogEntry[" + index + "@" + term + " " + kind + " " + data.length + "B]";
  }
}
