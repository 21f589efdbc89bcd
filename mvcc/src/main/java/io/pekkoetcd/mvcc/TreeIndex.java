package io.pekkoetcd.mvcc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The in-memory index from user key to {@link KeyIndex}, ordered by unsigned bytes (etcd's {@code
 * index.go}; a TreeMap instead of a B-tree). Rebuilt from the backend on open. Not thread-safe.
 */
final class TreeIndex {

  private final TreeMap<byte[], KeyIndex> tree = new TreeMap<>(KeyRange.UNSIGNED);

  /** Keys that exist at the latest revision. */
  private long liveKeys;

  /** The key indexes in {@code range} in key order (including keys that do not exist now). */
  Collection<KeyIndex> inRange(KeyRange range) {
    switch (range.kind()) {
      case SINGLE:
        {
          KeyIndex ki = tree.get(range.key());
          return ki == null ? List.of() : List.of(ki);
        }
      case FROM_KEY:
        return tree.tailMap(range.key(), true).values();
      default:
        {
          if (KeyRange.UNSIGNED.compare(range.key(), range.end()) >= 0) {
            return List.of();
          }
          NavigableMap<byte[], KeyIndex> sub = tree.subMap(range.key(), true, range.end(), false);
          return sub.values();
        }
    }
  }

  /** The keys in {@code range} as they were at {@code atRev}, in key order. */
  List<Hit> range(KeyRange range, long atRev) {
    List<Hit> out = new ArrayList<>();
    for (KeyIndex ki : inRange(range)) {
      KeyIndex.At at = ki.get(atRev);
      if (at != null) {
        out.add(new Hit(ki.key, at));
      }
    }
    return out;
  }

  /** Number of keys in {@code range} that existed at {@code atRev}. */
  long count(KeyRange range, long atRev) {
    long n = 0;
    for (KeyIndex ki : inRange(range)) {
      if (ki.get(atRev) != null) {
        n++;
      }
    }
    return n;
  }

  /** A key that existed at the read revision. */
  record Hit(byte[] key, KeyIndex.At at) {}

  KeyIndex.At get(byte[] key, long atRev) {
    KeyIndex ki = tree.get(key);
    return ki == null ? null : ki.get(atRev);
  }

  void put(byte[] key, Revision rev) {
    KeyIndex ki = tree.computeIfAbsent(key, KeyIndex::new);
    boolean wasLive = ki.isLive();
    ki.put(rev);
    if (!wasLive) {
      liveKeys++;
    }
  }

  /** Rebuild on open: a put found on disk (see {@link KeyIndex#restore}). */
  void restorePut(byte[] key, Revision rev, long createRevision, long version) {
    KeyIndex ki = tree.get(key);
    if (ki == null) {
      ki = new KeyIndex(key);
      tree.put(key, ki);
      ki.restore(rev, createRevision, version);
      liveKeys++;
    } else {
      put(key, rev);
    }
  }

  /**
   * @return false if the key does not exist now
   */
  boolean tombstone(byte[] key, Revision rev) {
    KeyIndex ki = tree.get(key);
    if (ki == null || !ki.tombstone(rev)) {
      return false;
    }
    liveKeys--;
    return true;
  }

  /**
   * Compacts every key at {@code atRev}; removes keys left empty.
   *
   * @param removed receives the revisions ≤ atRev that are no longer needed (to delete from the
   *     backend)
   */
  Set<Revision> compact(long atRev, Consumer<Revision> removed) {
    Set<Revision> available = new HashSet<>();
    Iterator<Map.Entry<byte[], KeyIndex>> it = tree.entrySet().iterator();
    while (it.hasNext()) {
      KeyIndex ki = it.next().getValue();
      ki.compact(atRev, available, removed);
      if (ki.isEmpty()) {
        it.remove();
      }
    }
    return available;
  }

  /** The revisions ≤ atRev a compaction at atRev would keep. */
  Set<Revision> keep(long atRev) {
    Set<Revision> available = new HashSet<>();
    for (KeyIndex ki : tree.values()) {
      ki.keep(atRev, available);
    }
    return available;
  }

  long liveKeys() {
    return liveKeys;
  }
}
