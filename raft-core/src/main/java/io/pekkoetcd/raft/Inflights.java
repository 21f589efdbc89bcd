package io.pekkoetcd.raft;

import java.util.ArrayDeque;

/**
 * The last indexes of appends sent to one follower and not yet acknowledged, oldest first; bounded
 * window.
 */
final class Inflights {

  private final int capacity;
  private final ArrayDeque<Long> lastIndexes = new ArrayDeque<>();

  Inflights(int capacity) {
    this.capacity = capacity;
  }

  void add(long lastIndex) {
    if (full()) {
      throw new IllegalStateException("in-flight window full");
    }
    lastIndexes.addLast(lastIndex);
  }

  /** Frees every append whose last index is ≤ {@code index} (acknowledged). */
  void freeLE(long index) {
    while (!lastIndexes.isEmpty() && lastIndexes.peekFirst() <= index) {
      lastIndexes.removeFirst();
    }
  }

  boolean full() {
    return lastIndexes.size() >= capacity;
  }

  int count() {
    return lastIndexes.size();
  }

  void reset() {
    lastIndexes.clear();
  }
}
