package io.pekkoetcd.watch;

import com.google.protobuf.ByteString;
import java.util.Comparator;

/**
 * The keys one watcher sees, in etcd's request convention (shared/etcd-api.md §2.2): an empty
 * {@code range_end} is the single key, {@code range_end = "\0"} every key ≥ {@code key}, otherwise
 * the half-open interval {@code [key, range_end)}. Keys compare as unsigned bytes. An empty {@code
 * key} means {@code "\0"} (Watch only).
 */
record WatchRange(ByteString key, ByteString end, Kind kind) {

  enum Kind {
    SINGLE,
    FROM_KEY,
    INTERVAL
  }

  private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});
  private static final Comparator<ByteString> UNSIGNED =
      ByteString.unsignedLexicographicalComparator();

  static WatchRange of(ByteString key, ByteString rangeEnd) {
    ByteString k = key.isEmpty() ? ZERO : key;
    if (rangeEnd.isEmpty()) {
      return new WatchRange(k, ByteString.EMPTY, Kind.SINGLE);
    }
    if (rangeEnd.equals(ZERO)) {
      return new WatchRange(k, ByteString.EMPTY, Kind.FROM_KEY);
    }
    return new WatchRange(k, rangeEnd, Kind.INTERVAL);
  }

  /**
   * An interval whose end is not after its start: etcd refuses to watch it ("mvcc: watcher range is
   * empty").
   */
  boolean isEmpty() {
    return kind == Kind.INTERVAL && UNSIGNED.compare(key, end) >= 0;
  }

  boolean contains(ByteString k) {
    return switch (kind) {
      case SINGLE -> key.equals(k);
      case FROM_KEY -> UNSIGNED.compare(k, key) >= 0;
      case INTERVAL -> UNSIGNED.compare(k, key) >= 0 && UNSIGNED.compare(k, end) < 0;
    };
  }
}
