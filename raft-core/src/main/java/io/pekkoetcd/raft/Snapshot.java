package io.pekkoetcd.raft;

/**
 * A state-machine image at {@code index} (whose entry had {@code term}) with the membership in
 * force there. The data is opaque to Raft. An empty snapshot has index 0.
 */
public record Snapshot(long index, long term, ConfState confState, byte[] data) {

  public static final Snapshot EMPTY = new Snapshot(0, 0, ConfState.EMPTY, new byte[0]);

  public Snapshot {
    data = data == null ? new byte[0] : data;
  }

  public boolean isEmpty() {
    return index == 0;
  }

  /** Value equality, data compared by content. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Snapshot s
        && s.index == index
        && s.term == term
        && s.confState.equals(confState)
        && java.util.Arrays.equals(s.data, data);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(index) * 31 + Long.hashCode(term)) * 31 + confState.hashCode();
  }

  @Override
  public String toString() {
    return "snapshot index=" + index + " term=" + term + " " + confState;
  }
}
