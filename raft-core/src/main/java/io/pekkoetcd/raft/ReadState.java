package io.pekkoetcd.raft;

/**
 * The answer to a {@code readIndex(context)} request: once the caller has applied up to {@code
 * index}, a local read is linearizable. {@code context} is the caller's request identifier, echoed
 * back.
 */
public record ReadState(long index, byte[] context) {

  @Override
  public String toString() {
    return "ReadState(index=" + index + " ctx=" + Bytes.printable(context) + ")";
  }
}
