package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.Entry;
import java.util.Arrays;

/**
 * A prefix hash per log position of one member's persisted log: {@code hash(i) = mix(hash(i-1),
 * term(i), data(i))}. Two logs agree on every entry up to i exactly when their prefix hashes at i
 * are equal, so the Log Matching property (Raft §5.3) is "equal (index, term) implies equal prefix
 * hash".
 */
final class LogFingerprint {

  /** Prefix hash of the bootstrap snapshot (index 1, term 1) every initial member starts from. */
  static final long BOOTSTRAP = 0x9E3779B97F4A7C15L;

  private long baseIndex = 1;
  private final LongList hashes =
      new LongList(); // hashes.get(k) is the prefix hash at baseIndex + k

  LogFingerprint() {
    hashes.add(BOOTSTRAP);
  }

  static long mix(long previous, Entry e) {
    long h = previous * 0x100000001B3L ^ e.term();
    h = h * 0x100000001B3L ^ e.type().ordinal();
    h = h * 0x100000001B3L ^ Arrays.hashCode(e.data());
    return h ^ (h >>> 29);
  }

  long lastIndex() {
    return baseIndex + hashes.size() - 1;
  }

  long hashAt(long index) {
    return hashes.get((int) (index - baseIndex));
  }

  boolean covers(long index) {
    return index >= baseIndex && index <= lastIndex();
  }

  /**
   * Appends persisted entries (truncating from the first one's index); returns the prefix hash of
   * each entry above the snapshot (entries at or below it are skipped, as storage skips them).
   */
  long[] append(java.util.List<Entry> entries) {
    long first = entries.get(0).index();
    int skip = 0;
    if (first <= baseIndex) { // at or below the snapshot: storage skipped them too
      skip = (int) (baseIndex - first + 1);
    }
    if (skip >= entries.size()) {
      return new long[0];
    }
    long start = entries.get(skip).index();
    hashes.truncate((int) (start - baseIndex));
    long prev = hashes.get(hashes.size() - 1);
    long[] out = new long[entries.size() - skip];
    for (int k = skip; k < entries.size(); k++) {
      prev = mix(prev, entries.get(k));
      hashes.add(prev);
      out[k - skip] = prev;
    }
    return out;
  }

  /** The log was replaced by a snapshot at {@code index} whose prefix hash is {@code hash}. */
  void resetTo(long index, long hash) {
    baseIndex = index;
    hashes.clear();
    hashes.add(hash);
  }

  /** Entries up to {@code index} were compacted into the snapshot. */
  void compactTo(long index) {
    if (index <= baseIndex) {
      return;
    }
    hashes.dropFirst((int) (index - baseIndex));
    baseIndex = index;
  }
}
