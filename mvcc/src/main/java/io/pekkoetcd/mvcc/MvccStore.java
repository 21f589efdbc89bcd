package io.pekkoetcd.mvcc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.CompactionResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;

/**
 * etcd's MVCC key-value store on LevelDB (see {@code DESIGN.md}). Single-threaded: the owner (the
 * KvActor) makes every call from one thread at a time. Reads never write; {@link #applyBatch}
 * applies committed Raft entries in order in one LevelDB write batch together with the consistent
 * index.
 *
 * <p>Revisions: a fresh store is at revision 1 and has never been compacted ({@link
 * #compactedRevision()} = -1); every write request that changes at least one key raises the
 * revision by one.
 */
public final class MvccStore implements AutoCloseable {

  private final MvccOptions options;
  private final Backend backend;
  private final TreeIndex index = new TreeIndex();
  private final LeaseIndex leaseIndex = new LeaseIndex();
  private final KvOps ops;

  private long currentRev = 1;
  private long compactMainRev = -1;
  private long consistentIndex;

  /**
   * Changes of the batch being applied: not in LevelDB yet, but reads inside the batch must see
   * them.
   */
  private final Map<Revision, KeyValue> staged = new HashMap<>();

  /**
   * Recently written or read KeyValues by revision (revisions are immutable: never stale, only
   * evicted).
   */
  private final Map<Revision, KeyValue> kvCache;

  private WriteBatch batch;

  /**
   * Revisions a compaction in the current batch made garbage; deleted after the batch is written.
   */
  private List<Revision> compactionGarbage;

  private boolean failed;
  private boolean closed;

  private MvccStore(MvccOptions options, Backend backend) {
    this.options = options;
    this.backend = backend;
    this.ops = new KvOps(this, index);
    int max = options.kvCacheEntries();
    this.kvCache =
        new java.util.LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Revision, KeyValue> eldest) {
            return size() > max;
          }
        };
  }

  /** Opens (or creates) the store in {@code dir} and rebuilds the key index from it. */
  public static MvccStore open(Path dir, MvccOptions options) {
    Backend backend = Backend.open(dir, options);
    MvccStore s = new MvccStore(options, backend);
    try {
      s.restore();
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    return s;
  }

  private void restore() {
    consistentIndex = backend.getLong(Backend.META_CONSISTENT_INDEX, 0);
    compactMainRev = backend.getLong(Backend.META_COMPACT_REV, -1);
    long maxMain = backend.getLong(Backend.META_CURRENT_REV, 1);
    List<Revision> garbage = new ArrayList<>();
    try (DBIterator it = backend.revisionsFrom(new Revision(0, 0))) {
      while (it.hasNext()) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (!Backend.isRevKey(e.getKey())) {
          break;
        }
        Revision rev = Backend.revOf(e.getKey());
        Backend.Head head = Backend.decodeHead(e.getValue());
        if (Backend.isTombstone(e.getValue())) {
          if (!index.tombstone(head.key(), rev) && rev.main() <= compactMainRev) {
            // left over by an interrupted compaction that already deleted the key's puts
            garbage.add(rev);
          }
          leaseIndex.delete(ByteString.copyFrom(head.key()));
        } else {
          index.restorePut(head.key(), rev, head.createRevision(), head.version());
          leaseIndex.put(ByteString.copyFrom(head.key()), head.lease());
        }
        maxMain = Math.max(maxMain, rev.main());
      }
    } catch (java.io.IOException e) {
      throw new MvccStorageException("LevelDB iteration failed", e);
    }
    currentRev = Math.max(Math.max(maxMain, compactMainRev), 1);
    if (compactMainRev >= 0) {
      // finish (or re-check) the last compaction: drop what it made garbage
      index.compact(compactMainRev, garbage);
      deleteGarbage(garbage);
    }
  }

  // ---------------------------------------------------------------- state

  public long currentRevision() {
    return currentRev;
  }

  /** The revision of the last compaction, -1 if never compacted (etcd's compactMainRev). */
  public long compactedRevision() {
    return compactMainRev;
  }

  /** The Raft index of the last applied entry (0 for a fresh store). */
  public long consistentIndex() {
    return consistentIndex;
  }

  /** Physical size of the LevelDB directory. */
  public long dbSizeBytes() {
    return backend.sizeOnDisk();
  }

  /**
   * LevelDB's estimate of the space its live data takes (lags behind recent writes until they are
   * flushed).
   */
  public long dbSizeInUseBytes() {
    return Math.min(backend.approximateSize(), dbSizeBytes());
  }

  /** Number of keys that exist at the current revision. */
  public long keyCount() {
    return index.liveKeys();
  }

  /**
   * The keys that exist now and are attached to {@code leaseId} (for lease revoke and TimeToLive).
   */
  public Set<ByteString> keysWithLease(long leaseId) {
    checkUsable();
    return leaseIndex.keys(leaseId);
  }

  /**
   * A point-in-time image of the whole store (see {@link MvccExport}) at the current consistent
   * index, read lazily from a LevelDB snapshot; the caller closes it. Closing the store closes its
   * open exports.
   */
  public MvccExport export() {
    checkUsable();
    return new MvccExport(backend, consistentIndex, currentRev, backend.sizeOnDisk());
  }

  MvccOptions options() {
    return options;
  }

  long compactMainRev() {
    return compactMainRev;
  }

  // ---------------------------------------------------------------- reads

  /** Range at the current state; header revision = current revision. */
  public RangeResponse range(RangeRequest r) throws MvccException {
    checkUsable();
    return ops.range(r, currentRev);
  }

  /**
   * A txn whose branches hold only Range ops (see {@link #isReadOnly}); header revision = current
   * revision.
   */
  public TxnResponse readOnlyTxn(TxnRequest r) throws MvccException {
    checkUsable();
    if (!isReadOnly(r)) {
      throw new IllegalArgumentException("txn has write operations; propose it through Raft");
    }
    return ops.txn(new WriteTxn(currentRev), r, false);
  }

  /**
   * etcd's isTxnReadonly: true if every op of both branches is a Range (a nested txn counts as a
   * write).
   */
  public static boolean isReadOnly(TxnRequest r) {
    return KvOps.isReadOnly(r);
  }

  /**
   * CRC-32C over every stored revision ≤ {@code revision} (0 = current) that a compaction at that
   * revision would keep, then the compacted revision: equal on two stores that applied the same
   * entries, whatever their physical compaction progress.
   */
  public int hashKV(long revision) throws MvccException {
    checkUsable();
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

  /**
   * The events of revisions {@code fromRev..toRevInclusive} in revision order, at most {@code
   * maxRevisions} whole revisions (a revision's events are never split), for watch catch-up. DELETE
   * events carry only key and mod_revision; prev_kv is not set (see {@link #eventsBetween(long,
   * long, int, boolean)}).
   *
   * @throws MvccException COMPACTED if fromRev is below the compacted revision
   */
  public List<Event> eventsBetween(long fromRev, long toRevInclusive, int maxRevisions)
      throws MvccException {
    return eventsBetween(fromRev, toRevInclusive, maxRevisions, false);
  }

  /**
   * As {@link #eventsBetween(long, long, int)}, with prev_kv (the key at revision − 1, if still in
   * history).
   */
  public List<Event> eventsBetween(
      long fromRev, long toRevInclusive, int maxRevisions, boolean withPrevKv)
      throws MvccException {
    checkUsable();
    if (fromRev < compactMainRev) {
      throw new MvccException(MvccError.COMPACTED);
    }
    long to = Math.min(toRevInclusive, currentRev);
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
                .setType(
                    Backend.isTombstone(e.getValue())
                        ? Event.EventType.DELETE
                        : Event.EventType.PUT);
        if (withPrevKv) {
          KeyIndex.At prev = index.get(kv.getKey().toByteArray(), r.main() - 1);
          if (prev != null) {
            ev.setPrevKv(readKv(prev.modified()));
          }
        }
        out.add(ev.build());
      }
    } catch (java.io.IOException e) {
      throw new MvccStorageException("LevelDB iteration failed", e);
    }
    return out;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Applies committed entries in order, all in one LevelDB write batch ending with the consistent
   * index (= the last applied index). An entry with index ≤ the consistent index is {@link
   * ApplyResult.Skipped}; an entry that fails changes nothing but still counts as applied.
   *
   * @throws MvccStorageException if LevelDB fails; the store is then unusable and must be reopened
   */
  public List<ApplyResult> applyBatch(List<Applied> entries) {
    return applyBatch(entries, options.syncWrites());
  }

  /**
   * As {@link #applyBatch(List)}, choosing per call whether the batch is fsynced: a synced batch
   * also makes every earlier unsynced one durable (LevelDB's log is sequential), which is how the
   * caller learns up to which index the store survives a machine crash without the Raft WAL.
   */
  public List<ApplyResult> applyBatch(List<Applied> entries, boolean sync) {
    checkUsable();
    List<ApplyResult> results = new ArrayList<>(entries.size());
    batch = backend.newBatch();
    boolean any = false;
    try {
      for (Applied a : entries) {
        if (a.index() <= consistentIndex) {
          results.add(new ApplyResult.Skipped(a.index()));
          continue;
        }
        results.add(applyOne(a));
        consistentIndex = a.index();
        any = true;
      }
      if (any) {
        batch.put(Backend.META_CONSISTENT_INDEX, Backend.longValue(consistentIndex));
        batch.put(Backend.META_CURRENT_REV, Backend.longValue(currentRev));
        backend.write(batch, sync);
      }
    } catch (RuntimeException e) {
      failed = true;
      throw e instanceof MvccStorageException m ? m : new MvccStorageException("apply failed", e);
    } finally {
      closeQuietly(batch);
      batch = null;
      if (!failed && options.kvCacheEntries() > 0) {
        for (Map.Entry<Revision, KeyValue> e : staged.entrySet()) {
          if (e.getValue().getCreateRevision() != 0) {
            kvCache.put(e.getKey(), e.getValue()); // puts only; tombstones are never read back
          }
        }
      }
      staged.clear();
    }
    if (compactionGarbage != null) {
      List<Revision> garbage = compactionGarbage;
      compactionGarbage = null;
      try {
        deleteGarbage(garbage);
      } catch (RuntimeException e) {
        // the batch is committed; reopening finishes the deletion
        failed = true;
        throw e;
      }
    }
    return results;
  }

  private ApplyResult applyOne(Applied a) {
    InternalRaftRequest req =
        a.request() == null ? InternalRaftRequest.getDefaultInstance() : a.request();
    WriteTxn tw = new WriteTxn(currentRev);
    Message resp;
    try {
      resp =
          switch (req.getRequestCase()) {
            case PUT -> ops.put(tw, req.getPut());
            case DELETE_RANGE -> ops.deleteRange(tw, req.getDeleteRange());
            case TXN -> ops.txn(tw, req.getTxn(), true);
            case COMPACTION -> compact(req.getCompaction());
            case REQUEST_NOT_SET -> Empty.getDefaultInstance();
          };
    } catch (MvccException e) {
      return new ApplyResult.Failed(a.index(), e.error());
    }
    if (tw.changed()) {
      currentRev = tw.writeRev();
    }
    return new ApplyResult.Ok(a.index(), resp, List.copyOf(tw.events), currentRev);
  }

  private CompactionResponse compact(CompactionRequest c) throws MvccException {
    long rev = c.getRevision();
    if (rev <= compactMainRev) {
      throw new MvccException(MvccError.COMPACTED);
    }
    if (rev > currentRev) {
      throw new MvccException(MvccError.FUTURE_REV);
    }
    compactMainRev = rev;
    List<Revision> garbage = new ArrayList<>();
    index.compact(rev, garbage);
    if (compactionGarbage == null) {
      compactionGarbage = garbage;
    } else {
      compactionGarbage.addAll(garbage);
    }
    batch.put(Backend.META_COMPACT_REV, Backend.longValue(rev));
    return CompactionResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(currentRev))
        .build();
  }

  /** Deletes compaction garbage in batches of compactionBatchSize (each its own LevelDB write). */
  private void deleteGarbage(List<Revision> garbage) {
    int n = options.compactionBatchSize();
    for (int from = 0; from < garbage.size(); from += n) {
      WriteBatch b = backend.newBatch();
      try {
        for (Revision r : garbage.subList(from, Math.min(garbage.size(), from + n))) {
          b.delete(Backend.revKey(r));
        }
        backend.write(b, false);
      } finally {
        closeQuietly(b);
      }
    }
  }

  /** Adds one change to the current batch. */
  void stage(Revision rev, KeyValue kv, boolean tombstone) {
    staged.put(rev, kv);
    if (tombstone) {
      leaseIndex.delete(kv.getKey());
    } else {
      leaseIndex.put(kv.getKey(), kv.getLease());
    }
    batch.put(Backend.revKey(rev), Backend.encode(kv, tombstone));
  }

  /** The KeyValue stored at a revision (staged in this batch or in LevelDB). */
  KeyValue readKv(Revision rev) {
    KeyValue kv = staged.get(rev);
    if (kv == null) {
      kv = kvCache.get(rev);
    }
    if (kv != null) {
      return kv;
    }
    byte[] v = backend.get(Backend.revKey(rev));
    if (v == null) {
      throw new MvccStorageException("index points at missing revision " + rev, null);
    }
    kv = Backend.decode(v);
    if (options.kvCacheEntries() > 0) {
      kvCache.put(rev, kv);
    }
    return kv;
  }

  private static void closeQuietly(WriteBatch b) {
    try {
      b.close();
    } catch (java.io.IOException | RuntimeException ignored) {
      // already closed or native memory already released
    }
  }

  private void checkUsable() {
    if (failed) {
      throw new IllegalStateException("mvcc store failed; close and reopen it");
    }
    if (closed) {
      throw new IllegalStateException("mvcc store closed");
    }
  }

  /**
   * Closes LevelDB; idempotent. Nothing pending is lost: every applyBatch has been written when it
   * returns.
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      backend.close();
    }
  }
}
