package io.pekkoetcd.mvcc;

import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the KeyValue of a revision is read from: the changes staged in the open batch (not in
 * LevelDB yet, but reads inside the batch must see them), then a bounded LRU of recently written or
 * read KeyValues, then LevelDB. Revisions are immutable, so the cache is never stale, only evicted.
 * Not thread-safe.
 */
final class KvReads {
  private final Backend backend;
  private final boolean caching;
  private final Map<Revision, KeyValue> staged = new HashMap<>();
  private final Map<Revision, KeyValue> cache;

  KvReads(Backend backend, int cacheEntries) {
    this.backend = backend;
    this.caching = cacheEntries > 0;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Revision, KeyValue> eldest) {
            return size() > cacheEntries;
          }
        };
  }

  /** A change of the open batch. */
  void stage(Revision rev, KeyValue kv) {
    staged.put(rev, kv);
  }

  /** The batch is in LevelDB: its puts go to the cache (tombstones are never read back). */
  void committed() {
    if (caching) {
      for (Map.Entry<Revision, KeyValue> e : staged.entrySet()) {
        if (e.getValue().getCreateRevision() != 0) {
          cache.put(e.getKey(), e.getValue());
        }
      }
    }
    staged.clear();
  }

  /** The batch was dropped. */
  void dropStaged() {
    staged.clear();
  }

  /** The KeyValue stored at a revision the key index points at. */
  KeyValue read(Revision rev) {
    KeyValue kv = staged.get(rev);
    if (kv == null) {
      kv = cache.get(rev);
    }
    if (kv != null) {
      return kv;
    }
    byte[] v = backend.get(Backend.revKey(rev));
    if (v == null) {
      throw new MvccStorageException("index points at missing revision " + rev, null);
    }
    kv = Backend.decode(v);
    if (caching) {
      cache.put(rev, kv);
    }
    return kv;
  }
}
