package io.pekkoetcd.actors.auth;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.auth.Permissions.AuthInfo;
import io.pekkoetcd.actors.auth.Permissions.Need;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;

/**
 * What each KV request needs (etcd's {@code authApplierV3} and {@code checkTxnReqsPermission}):
 * Range READ on its range; Put WRITE on its key; DeleteRange WRITE on its range; {@code prev_kv}
 * READ as well; a Txn READ on every compare's range and every op of <em>both</em> branches (nested
 * txns included). Throws etcd's refusal.
 */
public final class RequestPermissions {
  private RequestPermissions() {}

  public static void range(AuthState s, AuthInfo who, RangeRequest r) {
    Permissions.check(s, who, r.getKey(), r.getRangeEnd(), Need.READ);
  }

  public static void put(AuthState s, AuthInfo who, PutRequest r) {
    Permissions.check(s, who, r.getKey(), ByteString.EMPTY, Need.WRITE);
    if (r.getPrevKv()) {
      Permissions.check(s, who, r.getKey(), ByteString.EMPTY, Need.READ);
    }
  }

  public static void deleteRange(AuthState s, AuthInfo who, DeleteRangeRequest r) {
    Permissions.check(s, who, r.getKey(), r.getRangeEnd(), Need.WRITE);
    if (r.getPrevKv()) {
      Permissions.check(s, who, r.getKey(), r.getRangeEnd(), Need.READ);
    }
  }

  public static void txn(AuthState s, AuthInfo who, TxnRequest t) {
    for (Compare c : t.getCompareList()) {
      Permissions.check(s, who, c.getKey(), c.getRangeEnd(), Need.READ);
    }
    for (RequestOp op : t.getSuccessList()) {
      op(s, who, op);
    }
    for (RequestOp op : t.getFailureList()) {
      op(s, who, op);
    }
  }

  private static void op(AuthState s, AuthInfo who, RequestOp op) {
    switch (op.getRequestCase()) {
      case REQUEST_RANGE -> range(s, who, op.getRequestRange());
      case REQUEST_PUT -> put(s, who, op.getRequestPut());
      case REQUEST_DELETE_RANGE -> deleteRange(s, who, op.getRequestDeleteRange());
      case REQUEST_TXN -> txn(s, who, op.getRequestTxn());
      case REQUEST_NOT_SET -> {
        // an empty op: refused by the request validator, nothing to check here
      }
    }
  }
}
