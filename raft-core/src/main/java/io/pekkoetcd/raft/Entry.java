package io.pekkoetcd.raft;

import java.util.Arrays;

/**
 * One Raft log entry. {@code index} starts at 1; {@code term} is the leader's term when it was
 * appended. The data array is owned by the log once proposed: callers must not mutate it.
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

  private static final byte[] EMPTY = new byte[0];

  public Entry {
    if (type == null) {
      throw new IllegalArgumentException("type");
    }
    data = data == null ? EMPTY : data;
  }

  /** A normal entry whose term and index the leader assigns when appending. */
  public static Entry proposal(byte[] data) {
    return new Entry(0, 0, EntryType.NORMAL, data);
  }

  /** Per-entry size beyond its data (term, index, type as encoded on the wire, roughly). */
  public static final int OVERHEAD_BYTES = 24;

  /**
   * Approximate encoded size, the measure of {@link RaftConfig#maxBytesPerMsg()} and storage reads.
   */
  public long sizeBytes() {
    return data.length + OVERHEAD_BYTES;
  }

  Entry withPosition(long newTerm, long newIndex) {
    return new Entry(newTerm, newIndex, type, data);
  }

  /** Value equality, data compared by content. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Entry e
        && e.term == term
        && e.index == index
        && e.type == type
        && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(term) * 31 * 31 + Long.hashCode(index) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return term + "/" + index + " " + type + " " + Bytes.printable(data);
  }
}
