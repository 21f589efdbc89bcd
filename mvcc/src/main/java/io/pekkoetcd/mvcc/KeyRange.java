package io.pekkoetcd.mvcc;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A half-open key interval {@code [key, end)} in etcd's request convention (§2.2): an empty {@code
 * range_end} means the single key {@code key}; {@code range_end = "\0"} means every key ≥ {@code
 * key}; an {@code end ≤ key} is an empty range. Keys compare as unsigned bytes, lexicographically.
 */
record KeyRange(byte[] key, byte[] end, Kind kind) {

  enum Kind {
    SINGLE,
    FROM_KEY,
    INTERVAL
  }

  static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  static KeyRange of(ByteString key, ByteString rangeEnd) {
    byte[] k = key.toByteArray();
    if (rangeEnd.isEmpty()) {
      return new KeyRange(k, null, Kind.SINGLE);
    }
    if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) {
      return new KeyRange(k, null, Kind.FROM_KEY);
    }
    return new KeyRange(k, rangeEnd.toByteArray(), Kind.INTERVAL);
  }
}
