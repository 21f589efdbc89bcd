package io.pekkoetcd.mvcc;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A generation's revisions in write order, packed as {@code main, sub} pairs in one {@code long[]}:
 * 16 bytes a revision, as etcd's {@code []revision} slice, instead of a {@link Revision} object and
 * a reference (about 40 bytes) per revision in a list. The key index keeps every revision of every
 * key until compaction, so this is most of the index's memory on a store that is written often and
 * compacted rarely, and none of it is a separate object for the collector to trace or promote.
 * {@link #get} makes a {@code Revision} on demand. Not thread-safe.
 */
final class RevisionList implements Iterable<Revision> {

  private static final long[] EMPTY = new long[0];

  private long[] pairs = EMPTY;
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void add(Revision rev) {
    if (2 * size == pairs.length) {
      // grow by half (at least one pair): most keys hold a handful of revisions
      pairs = Arrays.copyOf(pairs, Math.max(2, pairs.length + 2 * Math.max(1, size / 2)));
    }
    pairs[2 * size] = rev.main();
    pairs[2 * size + 1] = rev.sub();
    size++;
  }

  /** The main revision at {@code index}, without making a {@code Revision}. */
  long main(int index) {
    checkIndex(index);
    return pairs[2 * index];
  }

  Revision get(int index) {
    checkIndex(index);
    return new Revision(pairs[2 * index], pairs[2 * index + 1]);
  }

  Revision last() {
    return get(size - 1);
  }

  /** Removes the first {@code count} revisions, shrinking the array when most of it is unused. */
  void removeFirst(int count) {
    if (count < 0 || count > size) {
      throw new IndexOutOfBoundsException("removeFirst " + count + " of " + size);
    }
    int left = size - count;
    if (2 * left <= pairs.length / 2) {
      pairs = Arrays.copyOfRange(pairs, 2 * count, 2 * count + Math.max(2, 2 * left));
    } else {
      System.arraycopy(pairs, 2 * count, pairs, 0, 2 * left);
    }
    size = left;
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("revision " + index + " of " + size);
    }
  }

  @Override
  public Iterator<Revision> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public Revision next() {
        if (next >= size) {
          throw new NoSuchElementException();
        }
        return get(next++);
      }
    };
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      sb.append(i == 0 ? "" : ", ").append(pairs[2 * i]).append('.').append(pairs[2 * i + 1]);
    }
    return sb.append(']').toString();
  }
}
