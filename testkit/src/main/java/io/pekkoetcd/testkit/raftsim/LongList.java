package io.pekkoetcd.testkit.raftsim;

import java.util.Arrays;

/** A growable list of primitive longs (the checker keeps one per log, so boxing would dominate). */
final class LongList {

  private long[] values = new long[64];
  private int size;

  int size() {
    return size;
  }

  long get(int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return values[i];
  }

  void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  void set(int i, long v) {
    values[i] = v;
  }

  void truncate(int newSize) {
    size = Math.min(size, newSize);
  }

  /** Drops the first {@code n} values. */
  void dropFirst(int n) {
    System.arraycopy(values, n, values, 0, size - n);
    size -= n;
  }

  void clear() {
    size = 0;
  }
}
