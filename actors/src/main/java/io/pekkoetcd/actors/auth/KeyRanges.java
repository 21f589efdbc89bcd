package io.pekkoetcd.actors.auth;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a key range is covered by a union of permission ranges. Ranges follow etcd's convention
 * (shared/etcd-api.md §2.2): {@code range_end} empty = the single key, {@code "\0"} = every key
 * from {@code key} on, otherwise the half-open {@code [key, range_end)}.
 */
final class KeyRanges {
  private KeyRanges() {}

  private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});
  private static final Comparator<ByteString> CMP = ByteString.unsignedLexicographicalComparator();

  /** A half-open interval; {@code end} null = unbounded. */
  record Interval(ByteString start, ByteString end) {}

  static Interval of(ByteString key, ByteString rangeEnd) {
    if (rangeEnd.isEmpty()) {
      return new Interval(key, key.concat(ZERO));
    }
    if (rangeEnd.equals(ZERO)) {
      return new Interval(key, null);
    }
    return new Interval(key, rangeEnd);
  }

  /** etcd's permission grant check: a non-empty key, and an end that is empty, "\0" or after it. */
  static boolean validPermission(ByteString key, ByteString rangeEnd) {
    if (key.isEmpty()) {
      return false;
    }
    return rangeEnd.isEmpty() || rangeEnd.equals(ZERO) || CMP.compare(key, rangeEnd) < 0;
  }

  /** Whether {@code [key, rangeEnd)} lies entirely inside the union of {@code granted}. */
  static boolean covered(ByteString key, ByteString rangeEnd, List<Interval> granted) {
    Interval want = of(key, rangeEnd);
    if (want.end() != null && CMP.compare(want.start(), want.end()) >= 0) {
      return true; // an empty range asks for nothing (etcd answers it without data)
    }
    List<Interval> sorted = new ArrayList<>(granted);
    sorted.sort((a, b) -> CMP.compare(a.start(), b.start()));
    ByteString reached = want.start();
    for (Interval g : sorted) {
      if (CMP.compare(g.start(), reached) > 0) {
        return false; // a gap before this grant
      }
      if (g.end() == null) {
        return true;
      }
      if (CMP.compare(g.end(), reached) > 0) {
        reached = g.end();
      }
      if (want.end() != null && CMP.compare(reached, want.end()) >= 0) {
        return true;
      }
    }
    return false;
  }
}
