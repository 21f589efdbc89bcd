package io.pekkoetcd.raft;

import java.util.ArrayDeque;

/**
 * The appends sent to one follower and not yet acknowledged, oldest first: the leader's flow
 * control for a follower in REPLICATE (etcd raft's {@code Inflights}). The window is full at {@code
 * maxMessages} appends or, if {@code maxBytes} is positive, once the appends in it carry {@code
 * maxBytes} of entries ({@link Entry#sizeBytes()}) — etcd raft's {@code MaxInflightBytes}. The byte
 * bound is what keeps a slow or catching-up follower from receiving (and decoding into its heap) up
 * to {@code maxMessages} × {@code maxBytesPerMsg} at once; an append that crosses it is still sent
 * whole, so at most one message's worth more is outstanding.
 */
final class Inflights {

  private record Sent(long lastIndex, long bytes) {}

  private final int maxMessages;
  private final long maxBytes;
  private final ArrayDeque<Sent> sent = new ArrayDeque<>();
  private long bytes;

  Inflights(int maxMessages, long maxBytes) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /** Records an append of {@code entryBytes} of entries whose last index is {@code lastIndex}. */
  void add(long lastIndex, long entryBytes) {
    if (full()) {
      throw new IllegalStateException("in-flight window full");
    }
    sent.addLast(new Sent(lastIndex, entryBytes));
    bytes += entryBytes;
  }

  /** Frees every append whose last index is ≤ {@code index} (acknowledged). */
  void freeLE(long index) {
    while (!sent.isEmpty() && sent.peekFirst().lastIndex() <= index) {
      bytes -= sent.removeFirst().bytes();
    }
  }

  /**
   * Frees the oldest append: a heartbeat response from a follower whose window is full lets one
   * more append through per heartbeat, as in etcd, in case acknowledgements were lost.
   */
  void freeFirstOne() {
    if (!sent.isEmpty()) {
      bytes -= sent.removeFirst().bytes();
    }
  }

  boolean full() {
    return sent.size() >= maxMessages || (maxBytes > 0 && bytes >= maxBytes);
  }

  int count() {
    return sent.size();
  }

  void reset() {
    sent.clear();
    bytes = 0;
  }
}
