package io.pekkoetcd.mvcc;

import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.List;

/**
 * The writes of one committed Raft entry (etcd's {@code TxnWrite}, {@code storeTxnWrite}). Reads
 * see the txn's own earlier changes: {@link #rev()} is the begin revision until the first change,
 * then the new one. {@link #end()} makes the changes the store's state and the entry's index its
 * consistent index; they reach disk with the batch ({@link KV#commit}).
 */
public interface TxnWrite extends TxnRead, WriteView {

  /**
   * The changes so far, in sub-revision order: PUT with the full kv, DELETE with only key and
   * mod_revision; prev_kv set if the key existed (and the store's {@code eventsWithPrevKv} is on).
   */
  List<Event> changes();

  /**
   * Compacts history at {@code rev} in this txn's batch (etcd's {@code KV.Compact}): every key
   * keeps its latest version ≤ rev (none if that is a tombstone) and everything after. The rest is
   * unreachable once the batch is committed and is deleted from disk: at the commit if {@code
   * physical} (etcd's {@code physical}: the caller answers after it), else by {@link
   * KV#deleteGarbage} a batch at a time. Changes no key and no revision.
   *
   * @throws MvccException COMPACTED if rev ≤ the compacted revision, FUTURE_REV if above {@link
   *     #rev()}; nothing is changed then
   */
  void compact(long rev, boolean physical) throws MvccException;

  /** A physical compaction: its garbage is deleted when the batch is committed. */
  default void compact(long rev) throws MvccException {
    compact(rev, true);
  }

  /**
   * Stores {@code lease} in the lease bucket, in this txn's batch (etcd's lessor writes its bucket
   * in the apply's backend txn): a grant, or a checkpoint of its remaining TTL. Changes no key and
   * no revision. Whether the lease may be granted is the caller's check.
   */
  void putLease(StoredLease lease);

  /**
   * Removes lease {@code id} from the lease bucket, in this txn's batch. Its keys are the caller's
   * to delete first (in this txn, so they go in one revision). Changes no revision by itself.
   */
  void deleteLease(long id);

  /**
   * Stores the cluster's membership (an opaque blob owned by the caller, etcd's "members" and
   * "members_removed" buckets) in this txn's batch, beside the consistent index. Changes no key and
   * no revision.
   */
  void putMembership(byte[] membership);

  /**
   * Stores the auth store (an opaque blob owned by the caller, etcd's "auth", "authUsers" and
   * "authRoles" buckets) in this txn's batch, beside the consistent index. Changes no key and no
   * revision.
   */
  void putAuthState(byte[] authState);

  /** Stores an active alarm in the alarm bucket, in this txn's batch. Changes no revision. */
  void putAlarm(StoredAlarm alarm);

  /** Removes an alarm from the alarm bucket, in this txn's batch. Changes no revision. */
  void deleteAlarm(StoredAlarm alarm);
}
