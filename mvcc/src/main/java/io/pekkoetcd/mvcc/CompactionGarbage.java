package io.pekkoetcd.mvcc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Revisions that committed compactions made garbage and that are not yet deleted from disk, oldest
 * first. Packed as (main, sub) pairs: a compaction of a busy store can leave millions, and 16 bytes
 * each (as etcd's {@code []revision}) is less than half of a {@link Revision} object and its
 * reference. Not thread-safe: its store's owner uses it.
 */
final class CompactionGarbage {

  /** Chunks of packed pairs; the first is consumed from {@link #headPair}. */
  private final ArrayDeque<long[]> chunks = new ArrayDeque<>();

  private int headPair;
  private long size;

  void add(List<Revision> revisions) {
    if (revisions.isEmpty()) {
      return;
    }
    long[] packed = new long[revisions.size() * 2];
    int i = 0;
    for (Revision r : revisions) {
      packed[i++] = r.main();
      packed[i++] = r.sub();
    }
    chunks.addLast(packed);
    size += revisions.size();
  }

  long size() {
    return size;
  }

  /** Removes and returns the oldest {@code max} revisions (fewer if fewer are left). */
  List<Revision> take(int max) {
    List<Revision> out = new ArrayList<>((int) Math.min(max, size));
    while (out.size() < max && !chunks.isEmpty()) {
      long[] head = chunks.peekFirst();
      while (out.size() < max && headPair * 2 < head.length) {
        out.add(new Revision(head[headPair * 2], head[headPair * 2 + 1]));
        headPair++;
      }
      if (headPair * 2 == head.length) {
        chunks.removeFirst();
        headPair = 0;
      }
    }
    size -= out.size();
    return out;
  }
}
