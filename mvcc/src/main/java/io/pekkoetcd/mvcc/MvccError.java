package io.pekkoetcd.mvcc;

/**
 * The closed set of domain errors of the KV store. The gRPC edge owns the one table that maps each
 * to etcd's code and message; the message quoted on each constant is documentation only.
 */
public enum MvccError {
  /**
   * Empty key in Range/Put/DeleteRange/Compare. etcd: InvalidArgument "etcdserver: key is not
   * provided".
   */
  KEY_NOT_PROVIDED,
  /**
   * ignore_value/ignore_lease on a missing key; an empty RequestOp in a Txn. etcd: InvalidArgument
   * "etcdserver: key not found".
   */
  KEY_NOT_FOUND,
  /** ignore_value with a value. etcd: InvalidArgument "etcdserver: value is provided". */
  VALUE_PROVIDED,
  /** ignore_lease with a lease. etcd: InvalidArgument "etcdserver: lease is provided". */
  LEASE_PROVIDED,
  /**
   * max(len(compare), len(success), len(failure)) over the limit (nested budget). etcd:
   * InvalidArgument "etcdserver: too many operations in txn request".
   */
  TOO_MANY_TXN_OPS,
  /**
   * Put/put or put/delete overlap in a txn branch. etcd: InvalidArgument "etcdserver: duplicate key
   * given in txn request".
   */
  DUPLICATE_KEY,
  /**
   * Unknown sort order/target (etcd 3.6 behaviour). etcd: InvalidArgument "etcdserver: invalid sort
   * option".
   */
  INVALID_SORT_OPTION,
  /**
   * Read/compact below the compacted revision. etcd: OutOfRange "etcdserver: mvcc: required
   * revision has been compacted".
   */
  COMPACTED,
  /**
   * Read/compact above the current revision. etcd: OutOfRange "etcdserver: mvcc: required revision
   * is a future revision".
   */
  FUTURE_REV,
  /**
   * Put with a lease that does not exist. etcd: NotFound "etcdserver: requested lease not found".
   */
  LEASE_NOT_FOUND,
  /**
   * LeaseGrant with the ID of an existing lease. etcd: FailedPrecondition "etcdserver: lease
   * already exists".
   */
  LEASE_EXISTS,
  /**
   * LeaseGrant with a TTL above 9,000,000,000 s. etcd: OutOfRange "etcdserver: too large lease
   * TTL".
   */
  LEASE_TTL_TOO_LARGE,
  /**
   * "etcdserver: mvcc: database space exceeded" — a Put, a Txn with a Put or a LeaseGrant while the
   * NOSPACE alarm is active, or one that would take the store past its quota.
   */
  NO_SPACE
}
