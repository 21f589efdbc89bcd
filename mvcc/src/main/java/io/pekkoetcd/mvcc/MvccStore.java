package io.pekkoetcd.mvcc;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;

/**
 * etcd's MVCC key-value store on LevelDB (see {@link KV} and {@code DESIGN.md}). Single-threaded:
 * the owner (the KvActor) makes every call from one thread at a time. Reads never write; the write
 * txns of a batch of committed Raft entries reach LevelDB in one write batch together with the
 * consistent index ({@link #commit}).
 *
 * <p>Revisions: a fresh store is at revision 1 and has never been compacted ({@link
 * #compactedRevision()} = -1); every write request that changes at least one key raises the
 * revision by one.
 */
public final class MvccStore implements KV {

  private final MvccOptions options;
  private final Backend backend;
  private final TreeIndex index = new TreeIndex();
  private final LeaseIndex leaseIndex = new LeaseIndex();

  /** The lease bucket, in memory: every granted lease not yet revoked, by ID. */
  private final Map<Long, StoredLease> leases = new java.util.TreeMap<>();

  private final History history;

  /** The membership blob (see {@link TxnWrite#putMembership}), or null. */
  private byte[] membership;

  /** The auth store blob (see {@link TxnWrite#putAuthState}), or null. */
  private byte[] authState;

  /** The alarm bucket, in memory: every active alarm. */
  private final java.util.TreeSet<StoredAlarm> alarms = new java.util.TreeSet<>();

  private long currentRev = 1;
  private long compactMainRev = -1;
  private long consistentIndex;

  /** Staged changes, cache, backend: where reads find a revision's KeyValue. */
  private final KvReads reads;

  private WriteBatch batch;

  /**
   * Revisions a compaction in the current batch made garbage; deleted after the batch is written.
   */
  private final CompactionGarbage compactionGarbage = new CompactionGarbage();

  /** Whether a compaction in the current batch asked for its garbage deleted at commit. */
  private boolean physicalCompaction;

  /**
   * Garbage of committed compactions not yet deleted: {@link #deleteGarbage(int)} deletes it a
   * batch at a time, so that deleting millions of revisions does not stall the applies behind it.
   * Until then it is invisible (below the compacted revision and absent from the key index); a
   * restart finds it again and deletes it ({@link #restore}).
   */
  private final CompactionGarbage pendingGarbage = new CompactionGarbage();

  private boolean failed;
  private boolean closed;

  private MvccStore(MvccOptions options, Backend backend) {
    this.options = options;
    this.backend = backend;
    this.history = new History(this, backend, index);
    this.reads = new KvReads(backend, options.kvCacheEntries());
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
    membership = backend.get(Backend.META_MEMBERSHIP);
    authState = backend.get(Backend.META_AUTH);
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
    try (DBIterator it = backend.leases()) {
      while (it.hasNext()) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (!Backend.isLeaseKey(e.getKey())) {
          break;
        }
        StoredLease l = Backend.decodeLease(e.getKey(), e.getValue());
        leases.put(l.id(), l);
      }
    } catch (java.io.IOException e) {
      throw new MvccStorageException("LevelDB iteration failed", e);
    }
    try (DBIterator it = backend.alarms()) {
      while (it.hasNext()) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (!Backend.isAlarmKey(e.getKey())) {
          break;
        }
        alarms.add(Backend.decodeAlarm(e.getKey()));
      }
    } catch (java.io.IOException e) {
      throw new MvccStorageException("LevelDB iteration failed", e);
    }
    if (compactMainRev >= 0) {
      // finish (or re-check) the last compaction: drop what it made garbage
      index.compact(compactMainRev, garbage::add);
      deleteFromDisk(garbage);
    }
  }

  // ---------------------------------------------------------------- state

  /** The current revision (= {@link #rev()}). */
  public long currentRevision() {
    return currentRev;
  }

  /** The revision of the last compaction, -1 if never compacted (= {@link #firstRev()}). */
  public long compactedRevision() {
    return compactMainRev;
  }

  @Override
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

  /**
   * etcd's defragment: reclaims the space that compactions and deletes freed (LevelDB's full
   * compaction), so {@link #dbSizeBytes()} shrinks. Between batches only; blocks the owner.
   */
  public void defragment() {
    checkUsable();
    if (batch != null) {
      throw new IllegalStateException("defragment inside a write batch");
    }
    backend.compactAll();
  }

  /** Number of keys that exist at the current revision. */
  public long keyCount() {
    return index.liveKeys();
  }

  @Override
  public Set<ByteString> keysWithLease(long leaseId) {
    checkUsable();
    return leaseIndex.keys(leaseId);
  }

  @Override
  public StoredLease lease(long id) {
    checkUsable();
    return leases.get(id);
  }

  @Override
  public java.util.Collection<StoredLease> leases() {
    checkUsable();
    return List.copyOf(leases.values());
  }

  @Override
  public java.util.SortedSet<StoredAlarm> alarms() {
    checkUsable();
    return java.util.Collections.unmodifiableSortedSet(alarms);
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

  // ---------------------------------------------------------------- reads

  @Override
  public long rev() {
    return currentRev;
  }

  @Override
  public long firstRev() {
    return compactMainRev;
  }

  @Override
  public TxnRead read() {
    checkUsable();
    return new StoreTxn(this, index, currentRev, 0);
  }

  @Override
  public RangeResult range(ByteString key, ByteString end, RangeOptions options)
      throws MvccException {
    TxnRead t = read();
    try {
      return t.range(key, end, options);
    } finally {
      t.end();
    }
  }

  @Override
  public int hashKV(long revision) throws MvccException {
    checkUsable();
    return history.hashKV(revision);
  }

  /** As {@link #eventsBetween(long, long, int, boolean)} without prev_kv. */
  public List<Event> eventsBetween(long fromRev, long toRevInclusive, int maxRevisions)
      throws MvccException {
    return eventsBetween(fromRev, toRevInclusive, maxRevisions, false);
  }

  @Override
  public List<Event> eventsBetween(
      long fromRev, long toRevInclusive, int maxRevisions, boolean withPrevKv)
      throws MvccException {
    checkUsable();
    return history.eventsBetween(fromRev, toRevInclusive, maxRevisions, withPrevKv);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public TxnWrite write(long raftIndex) {
    checkUsable();
    if (raftIndex <= consistentIndex) {
      throw new IllegalArgumentException(
          "entry " + raftIndex + " is at or below the consistent index " + consistentIndex);
    }
    if (batch == null) {
      batch = backend.newBatch();
    }
    return new StoreTxn(this, index, currentRev, raftIndex);
  }

  /** A write txn ended: its entry is applied. */
  void endWrite(long raftIndex, long rev) {
    currentRev = rev;
    consistentIndex = raftIndex;
  }

  @Override
  public void commit(boolean sync) {
    checkUsable();
    if (batch == null) {
      return;
    }
    try {
      batch.put(Backend.META_CONSISTENT_INDEX, Backend.longValue(consistentIndex));
      batch.put(Backend.META_CURRENT_REV, Backend.longValue(currentRev));
      backend.write(batch, sync);
    } catch (RuntimeException e) {
      failed = true;
      throw e instanceof MvccStorageException m ? m : new MvccStorageException("commit failed", e);
    } finally {
      closeQuietly(batch);
      batch = null;
      if (failed) {
        reads.dropStaged();
      } else {
        reads.committed();
      }
    }
    pendingGarbage.takeAll(compactionGarbage);
    if (physicalCompaction) {
      physicalCompaction = false;
      deleteGarbage(Integer.MAX_VALUE);
    }
  }

  @Override
  public long garbageLeft() {
    return pendingGarbage.size();
  }

  @Override
  public long deleteGarbage(int maxRevisions) {
    checkUsable();
    try {
      deleteFromDisk(pendingGarbage.take(maxRevisions));
    } catch (RuntimeException e) {
      // the compaction is committed; reopening finishes the deletion
      failed = true;
      throw e;
    }
    return pendingGarbage.size();
  }

  @Override
  public void abort() {
    failed = true;
    if (batch != null) {
      closeQuietly(batch);
      batch = null;
    }
    reads.dropStaged();
    compactionGarbage.clear();
    physicalCompaction = false;
  }

  /** See {@link TxnWrite#compact(long, boolean)}: in the open batch. */
  void compact(long rev, boolean physical) throws MvccException {
    if (rev <= compactMainRev) {
      throw new MvccException(MvccError.COMPACTED);
    }
    if (rev > currentRev) {
      throw new MvccException(MvccError.FUTURE_REV);
    }
    compactMainRev = rev;
    index.compact(rev, compactionGarbage);
    batch.put(Backend.META_COMPACT_REV, Backend.longValue(rev));
    physicalCompaction |= physical;
  }

  /** Deletes compaction garbage in batches of compactionBatchSize (each its own LevelDB write). */
  private void deleteFromDisk(List<Revision> garbage) {
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

  /** Adds one change to the open batch. */
  void stage(Revision rev, KeyValue kv, boolean tombstone) {
    reads.stage(rev, kv);
    if (tombstone) {
      leaseIndex.delete(kv.getKey());
    } else {
      leaseIndex.put(kv.getKey(), kv.getLease());
    }
    batch.put(Backend.revKey(rev), Backend.encode(kv, tombstone));
  }

  /** Adds a lease (granted or checkpointed) to the open batch. */
  void stageLease(StoredLease lease) {
    leases.put(lease.id(), lease);
    batch.put(Backend.leaseKey(lease.id()), Backend.encodeLease(lease));
  }

  /** Adds an alarm (activated) to the open batch. */
  void stageAlarm(StoredAlarm alarm) {
    alarms.add(alarm);
    batch.put(Backend.alarmKey(alarm), new byte[0]);
  }

  /** Removes an alarm (deactivated) in the open batch. */
  void unstageAlarm(StoredAlarm alarm) {
    alarms.remove(alarm);
    batch.delete(Backend.alarmKey(alarm));
  }

  /** Removes a lease (revoked) in the open batch. */
  void unstageLease(long id) {
    leases.remove(id);
    batch.delete(Backend.leaseKey(id));
  }

  /** Replaces the membership blob in the open batch. */
  void stageMembership(byte[] blob) {
    membership = blob.clone();
    batch.put(Backend.META_MEMBERSHIP, membership);
  }

  @Override
  public byte[] membership() {
    return membership == null ? null : membership.clone();
  }

  /** Replaces the auth store blob in the open batch. */
  void stageAuthState(byte[] blob) {
    authState = blob.clone();
    batch.put(Backend.META_AUTH, authState);
  }

  @Override
  public byte[] authState() {
    return authState == null ? null : authState.clone();
  }

  /** The KeyValue stored at a revision (staged in this batch, cached or in LevelDB). */
  KeyValue readKv(Revision rev) {
    return reads.read(rev);
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
   * Closes LevelDB; idempotent. Changes of txns not yet committed are lost (the Raft log replays
   * them after the consistent index).
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      backend.close();
    }
  }
}
