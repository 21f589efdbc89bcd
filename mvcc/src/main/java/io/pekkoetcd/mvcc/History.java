package io.pekkoetcd.mvcc;

import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import org.iq80.leveldb.DBIterator;

/**
 * Reads of the store's history in revision order, straight from the backend: watch catch-up ({@link
 * #eventsBetween}) and the consistency hash ({@link #hashKV}). Never writes.
 */
final class History {
  private final MvccStore store;
  private final Backend backend;
  private final TreeIndex index;

  History(MvccStore store, Backend backend, TreeIndex index) {
    this.store = store;
    this.backend = backend;
    this.index = index;
  }

  /** See {@link KV#hashKV}: equal on two stores that applied the same entries. */
  int hashKV(long revision) throws MvccException {
    long compactMainRev = store.firstRev();
    long currentRev = store.rev();
    if (revision > 0 && revision < compactMainRev) {
      throw new MvccException(MvccError.COMPACTED);
    }
    if (revision > 0 && revision > currentRev) {
      throw new MvccException(MvccError.FUTURE_REV);
    }
    long rev = revision == 0 ? currentRev : revision;
    Set<Revision> keep = index.keep(rev);
    CRC32C crc = new CRC32C();
    try (DBIterator it = backend.revisionsFrom(new Revision(0, 0))) {
      while (it.hasNext()) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (!Backend.isRevKey(e.getKey())) {
          break;
        }
        Revision r = Backend.revOf(e.getKey());
        if (r.main() > rev) {
          break;
        }
        if (r.main() <= compactMainRev && !keep.contains(r)) {
          continue;
        }
        crc.update(e.getKey());
        crc.update(e.getValue());
      }
    } catch (java.io.IOException e) {
      throw new MvccStorageException("LevelDB iteration failed", e);
    }
    crc.update(Backend.longValue(compactMainRev));
    return (int) crc.getValue();
  }

  /** See {@link KV#eventsBetween}. DELETE events carry only key and mod_revision. */
  List<Event> eventsBetween(long fromRev, long toRevInclusive, int maxRevisions, boolean withPrevKv)
      throws MvccException {
    if (fromRev < store.firstRev()) {
      throw new MvccException(MvccError.COMPACTED);
    }
    long to = Math.min(toRevInclusive, store.rev());
    List<Event> out = new ArrayList<>();
    if (fromRev > to || maxRevisions <= 0) {
      return out;
    }
    long lastMain = -1;
    int revisions = 0;
    try (DBIterator it = backend.revisionsFrom(new Revision(Math.max(fromRev, 0), 0))) {
      while (it.hasNext()) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (!Backend.isRevKey(e.getKey())) {
          break;
        }
        Revision r = Backend.revOf(e.getKey());
        if (r.main() > to) {
          break;
        }
        boolean tombstone = Backend.isTombstone(e.getValue());
        if (tombstone && r.main() <= store.firstRev()) {
          // a compaction never keeps a tombstone at or below its revision: this one is garbage
          // not yet deleted from disk (MvccStore deletes it in batches after the compaction)
          continue;
        }
        if (r.main() != lastMain) {
          if (revisions == maxRevisions) {
            break;
          }
          revisions++;
          lastMain = r.main();
        }
        KeyValue kv = Backend.decode(e.getValue());
        Event.Builder ev =
            Event.newBuilder()
                .setKv(kv)
                .setType(tombstone ? Event.EventType.DELETE : Event.EventType.PUT);
        if (withPrevKv) {
          KeyIndex.At prev = index.get(kv.getKey().toByteArray(), r.main() - 1);
          if (prev != null) {
            ev.setPrevKv(store.readKv(prev.modified()));
          }
        }
        out.add(ev.build());
      }
    } catch (java.io.IOException e) {
      throw new MvccStorageException("LevelDB iteration failed", e);
    }
    return out;
  }
}
