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

  @Override
  public String toString() {
    return "snapshot index=" + index + " term=" + term + " " + confState;
  }
}
