package io.pekkoetcd.mvcc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Revisions that compactions made garbage and that are not yet deleted from disk, oldest first.
 * Packed as (main, sub) pairs in fixed-size chunks as they are found: a compaction of a busy store
 * finds millions, and 16 bytes each (as etcd's {@code []revision}) in primitive arrays is less than
 * half of a {@link Revision} object and its reference, which the collector would also have to
 * trace. Not thread-safe: its store's owner uses it.
 */
final class CompactionGarbage implements Consumer<Revision> {

  private static final int CHUNK_PAIRS = 4096;

  /**
   * Chunks of packed pairs: the first is consumed from {@link #headPair}, the last is filled up to
   * {@link #tailPairs}.
   */
  private final ArrayDeque<long[]> chunks = new ArrayDeque<>();

  private int headPair;
  private int tailPairs;
  private long size;

  @Override
  public void accept(Revision r) {
    if (chunks.isEmpty() || tailPairs == CHUNK_PAIRS) {
      chunks.addLast(new long[CHUNK_PAIRS * 2]);
      tailPairs = 0;
    }
    long[] tail = chunks.peekLast();
    tail[tailPairs * 2] = r.main();
    tail[tailPairs * 2 + 1] = r.sub();
    tailPairs++;
    size++;
  }

  long size() {
    return size;
  }

  /** Moves everything {@code other} holds to the end of this one, leaving {@code other} empty. */
  void takeAll(CompactionGarbage other) {
    while (other.size() > 0) {
      other.take(CHUNK_PAIRS).forEach(this);
    }
  }

  void clear() {
    chunks.clear();
    headPair = 0;
    tailPairs = 0;
    size = 0;
  }

  /** Removes and returns the oldest {@code max} revisions (fewer if fewer are left). */
  List<Revision> take(int max) {
    List<Revision> out = new ArrayList<>((int) Math.min(max, size));
    while (out.size() < max && size > 0) {
      long[] head = chunks.peekFirst();
      int filled = chunks.size() == 1 ? tailPairs : CHUNK_PAIRS;
      while (out.size() < max && headPair < filled) {
        out.add(new Revision(head[headPair * 2], head[headPair * 2 + 1]));
        headPair++;
        size--;
      }
      if (headPair == filled) {
        chunks.removeFirst();
        headPair = 0;
        if (chunks.isEmpty()) {
          tailPairs = 0;
        }
      }
    }
    return out;
  }
}
