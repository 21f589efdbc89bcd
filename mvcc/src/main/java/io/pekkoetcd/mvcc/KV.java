package io.pekkoetcd.mvcc;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.List;
import java.util.Set;

/**
 * The MVCC key-value store (etcd's {@code KV}): the design document of this module. Reads go
 * through a {@link TxnRead}; committed Raft entries are applied as one {@link TxnWrite} each, many
 * per batch, and a batch reaches disk in one write together with the consistent index.
 *
 * <p>Applying a batch: for each entry with an index above {@link #consistentIndex()}, {@code
 * write(index)}, its reads and changes, {@code end()}; then {@link #commit}. If anything throws on
 * the way, call {@link #abort}: the store is then unusable and must be reopened (the Raft log
 * replays what was lost after the consistent index). Single-threaded: one caller, one txn at a
 * time.
 */
public interface KV extends ReadView, AutoCloseable {

  /** A read txn at the current revision. */
  TxnRead read();

  /**
   * Begins the write txn of the committed entry at Raft {@code index}, in the current batch (opened
   * if none is).
   *
   * @throws IllegalArgumentException if index ≤ {@link #consistentIndex()}
   */
  TxnWrite write(long index);

  /**
   * Writes the batch (every ended write txn since the last commit) in one LevelDB write ending with
   * the consistent index; {@code sync} fsyncs it, which also makes every earlier batch durable.
   * No-op if no txn was begun.
   *
   * @throws MvccStorageException if LevelDB fails; the store is then unusable
   */
  void commit(boolean sync);

  /** Drops the open batch after a failure and marks the store unusable (reopen it). */
  void abort();

  /** Revisions that committed compactions left on disk, to be deleted by {@link #deleteGarbage}. */
  long garbageLeft();

  /**
   * Deletes up to {@code maxRevisions} of what committed compactions left (in LevelDB writes of the
   * store's compaction batch size, without fsync: a restart deletes again what was lost) and
   * returns how many are left. Call it between commits, never with a txn open.
   *
   * @throws MvccStorageException if LevelDB fails; the store is then unusable
   */
  long deleteGarbage(int maxRevisions);

  /** The Raft index of the last applied entry (0 for a fresh store). */
  long consistentIndex();

  /** The lease {@code id} as granted and not revoked (applied state), or null. */
  StoredLease lease(long id);

  /** Every lease granted and not revoked, in ID order (applied state). */
  java.util.Collection<StoredLease> leases();

  /** The membership blob last stored with {@link TxnWrite#putMembership}, or null if none. */
  byte[] membership();

  /** The auth store blob last stored with {@link TxnWrite#putAuthState}, or null if none. */
  byte[] authState();

  /**
   * The active alarms (applied state), by member then type: a read-only view for the owner's thread
   * (copy it to hand it to another).
   */
  java.util.SortedSet<StoredAlarm> alarms();

  /** The keys that exist now and are attached to {@code leaseId}. */
  Set<ByteString> keysWithLease(long leaseId);

  /**
   * The events of revisions {@code fromRev..toRevInclusive} in revision order, at most {@code
   * maxRevisions} whole revisions (a revision's events are never split), for watch catch-up;
   * prev_kv (the key at revision − 1, if still in history) if asked for.
   *
   * @throws MvccException COMPACTED if fromRev is below the compacted revision
   */
  List<Event> eventsBetween(long fromRev, long toRevInclusive, int maxRevisions, boolean withPrevKv)
      throws MvccException;

  /**
   * CRC-32C over every stored revision ≤ {@code revision} (0 = current) that a compaction at that
   * revision would keep, then the compacted revision.
   */
  int hashKV(long revision) throws MvccException;

  @Override
  void close();
}
