package io.pekkoetcd.mvcc;

import com.google.protobuf.ByteString;

/**
 * Changes to the key space (etcd's {@code WriteView}). Every change of one {@link TxnWrite} gets
 * the same new main revision and the next sub-revision, in call order; the key space's revision
 * only moves once the txn ends. Neither method fails: checks (lease exists, key exists) are the
 * caller's, made before the first change.
 */
public interface WriteView {

  /**
   * Deletes the keys of a range (same convention as {@link ReadView#range}) as of the txn's
   * revision: each gets a tombstone.
   *
   * @param withPrevKvs return the deleted keys as they were
   */
  DeleteResult deleteRange(ByteString key, ByteString end, boolean withPrevKvs);

  /**
   * Puts a key: a new version (create_revision kept if the key exists, version + 1), attached to
   * {@code lease} (0 = none).
   *
   * @return the revision of the change (the txn's new main revision)
   */
  long put(ByteString key, ByteString value, long lease);
}
