package io.pekkoetcd.mvcc;

/**
 * A read-only txn (etcd's {@code TxnRead}): every read sees the key space at the revision it began
 * at. The store is single-threaded, so a TxnRead must be used and ended before the next write.
 */
public interface TxnRead extends ReadView {

  /** Ends the txn; it must not be used afterwards. */
  void end();
}
