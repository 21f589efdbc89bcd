package io.pekkoetcd.actors.apply;

import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.internal.InternalRaftRequestOrBuilder;

/**
 * etcd's backend quota ({@code --quota-backend-bytes}, {@code etcdserver/quota.go}): what a write
 * costs, and whether the store has room for it. A Put costs 256 bytes of overhead plus its key and
 * value; a Txn the larger of its branches' Puts (nested txns not counted, as etcd); a LeaseGrant 64
 * bytes; everything else nothing, so deletes and compactions always pass.
 */
public final class Quota {
  private Quota() {}

  static final int KV_OVERHEAD = 256;
  static final int LEASE_OVERHEAD = 64;

  /** etcd's {@code DefaultQuotaBytes}: 2 GiB. */
  public static final long DEFAULT_BYTES = 2L * 1024 * 1024 * 1024;

  public static long cost(InternalRaftRequestOrBuilder r) {
    return switch (r.getRequestCase()) {
      case PUT -> cost(r.getPut());
      case TXN -> cost(r.getTxn());
      case LEASE_GRANT -> LEASE_OVERHEAD;
      case DELETE_RANGE,
          COMPACTION,
          LEASE_REVOKE,
          LEASE_CHECKPOINT,
          ALARM,
          MEMBER_CHANGE,
          AUTH_ENABLE,
          AUTH_DISABLE,
          AUTHENTICATE,
          USER_ADD,
          USER_DELETE,
          USER_CHANGE_PASSWORD,
          USER_GRANT_ROLE,
          USER_REVOKE_ROLE,
          ROLE_ADD,
          ROLE_DELETE,
          ROLE_GRANT_PERMISSION,
          ROLE_REVOKE_PERMISSION,
          REQUEST_NOT_SET ->
          0;
    };
  }

  static long cost(PutRequest p) {
    return KV_OVERHEAD + p.getKey().size() + p.getValue().size();
  }

  static long cost(TxnRequest t) {
    return Math.max(branch(t.getSuccessList()), branch(t.getFailureList()));
  }

  private static long branch(java.util.List<RequestOp> ops) {
    long c = 0;
    for (RequestOp op : ops) {
      if (op.hasRequestPut()) {
        c += cost(op.getRequestPut());
      }
    }
    return c;
  }

  /** etcd's {@code Available}: whether a request of {@code cost} fits under {@code quota}. */
  public static boolean available(long dbSize, long cost, long quota) {
    return cost == 0 || dbSize + cost < quota;
  }
}
