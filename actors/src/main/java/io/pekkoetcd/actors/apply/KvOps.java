package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.Ranges.header;

import com.google.protobuf.ByteString;
import io.pekkoetcd.mvcc.DeleteResult;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.mvcc.RangeOptions;
import io.pekkoetcd.mvcc.TxnRead;
import io.pekkoetcd.mvcc.TxnWrite;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.ResponseOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Range, Put, DeleteRange and Txn with etcd's semantics (etcd's {@code apply.go}) over the mvcc
 * txns. Errors are raised before anything changes: Put checks its lease and ignore flags first; Txn
 * evaluates every compare of the executed path, then checks every put and range of that path, and
 * only then writes. Response headers carry only the revision.
 */
public final class KvOps {

  private final LeaseLookup leases;

  public KvOps(LeaseLookup leases) {
    this.leases = leases;
  }

  /** Range at the txn's revision; header revision = that revision. */
  public RangeResponse range(TxnRead tr, RangeRequest r) throws MvccException {
    return Ranges.range(tr, r);
  }

  // ---------------------------------------------------------------- Put

  PutResponse put(TxnWrite tw, PutRequest p) throws MvccException {
    long lease = p.getLease();
    if (lease != 0 && !leases.exists(lease)) {
      throw new MvccException(MvccError.LEASE_NOT_FOUND);
    }
    boolean ignore = p.getIgnoreValue() || p.getIgnoreLease();
    KeyValue prev = null;
    if (ignore || p.getPrevKv()) {
      List<KeyValue> kvs = tw.range(p.getKey(), ByteString.EMPTY, RangeOptions.ALL).kvs();
      prev = kvs.isEmpty() ? null : kvs.get(0);
    }
    if (ignore && prev == null) {
      if (tw.changes().isEmpty()) {
        throw new MvccException(MvccError.KEY_NOT_FOUND);
      }
      // Only reachable in a txn that deleted the key with a from-key delete the duplicate rule
      // misses (etcd bug #22445); etcd panics here, we put an empty value without lease instead.
    }
    ByteString value =
        p.getIgnoreValue() ? (prev == null ? ByteString.EMPTY : prev.getValue()) : p.getValue();
    if (p.getIgnoreLease()) {
      lease = prev == null ? 0 : prev.getLease();
    }
    long rev = tw.put(p.getKey(), value, lease);
    PutResponse.Builder resp = PutResponse.newBuilder().setHeader(header(rev));
    if (p.getPrevKv() && prev != null) {
      resp.setPrevKv(prev);
    }
    return resp.build();
  }

  // ---------------------------------------------------------------- DeleteRange

  DeleteRangeResponse deleteRange(TxnWrite tw, DeleteRangeRequest d) {
    DeleteResult res = tw.deleteRange(d.getKey(), d.getRangeEnd(), d.getPrevKv());
    return DeleteRangeResponse.newBuilder()
        .addAllPrevKvs(res.prevKvs())
        .setDeleted(res.deleted())
        .setHeader(header(res.rev()))
        .build();
  }

  // ---------------------------------------------------------------- Txn

  /** Which branch each txn of the request takes: this txn, then its nested txns in op order. */
  private record Path(boolean succeeded, List<Path> nested) {}

  /**
   * A txn: compares and checks against the state before it, then the executed branch. A read-only
   * txn ({@code writable == false}, see {@link #isReadOnly}) may hold only Range ops; a writable
   * one needs a {@link TxnWrite}.
   */
  public TxnResponse txn(TxnRead tr, TxnRequest rt, boolean writable) throws MvccException {
    Path path = compareToPath(tr, rt);
    if (writable) {
      checkPuts(tr, rt, path);
    }
    checkRanges(tr, rt, path);
    TxnResponse.Builder resp = applyTxn(tr, rt, path, writable);
    return resp.setHeader(header(tr.rev())).build();
  }

  private Path compareToPath(TxnRead tr, TxnRequest rt) throws MvccException {
    boolean ok = true;
    for (Compare c : rt.getCompareList()) {
      if (!Compares.holds(tr, c)) {
        ok = false;
        break;
      }
    }
    List<Path> nested = new ArrayList<>();
    for (RequestOp op : ok ? rt.getSuccessList() : rt.getFailureList()) {
      if (op.getRequestCase() == RequestOp.RequestCase.REQUEST_TXN) {
        nested.add(compareToPath(tr, op.getRequestTxn()));
      }
    }
    return new Path(ok, nested);
  }

  /**
   * etcd's checkRequestPut over the executed path: ignore flags need the key, a lease must exist.
   */
  private void checkPuts(TxnRead tr, TxnRequest rt, Path path) throws MvccException {
    int n = 0;
    for (RequestOp op : path.succeeded() ? rt.getSuccessList() : rt.getFailureList()) {
      switch (op.getRequestCase()) {
        case REQUEST_TXN -> checkPuts(tr, op.getRequestTxn(), path.nested().get(n++));
        case REQUEST_PUT -> {
          PutRequest p = op.getRequestPut();
          if ((p.getIgnoreValue() || p.getIgnoreLease())
              && tr.range(p.getKey(), ByteString.EMPTY, RangeOptions.COUNT).count() == 0) {
            throw new MvccException(MvccError.KEY_NOT_FOUND);
          }
          if (p.getLease() != 0 && !leases.exists(p.getLease())) {
            throw new MvccException(MvccError.LEASE_NOT_FOUND);
          }
        }
        default -> {}
      }
    }
  }

  /** etcd's checkRequestRange over the executed path: an explicit revision must be readable. */
  private void checkRanges(TxnRead tr, TxnRequest rt, Path path) throws MvccException {
    int n = 0;
    for (RequestOp op : path.succeeded() ? rt.getSuccessList() : rt.getFailureList()) {
      switch (op.getRequestCase()) {
        case REQUEST_TXN -> checkRanges(tr, op.getRequestTxn(), path.nested().get(n++));
        case REQUEST_RANGE -> {
          long r = op.getRequestRange().getRevision();
          if (r == 0) {
            continue;
          }
          if (r > tr.rev()) {
            throw new MvccException(MvccError.FUTURE_REV);
          }
          if (r < tr.firstRev()) {
            throw new MvccException(MvccError.COMPACTED);
          }
        }
        // rejected by KvRequestValidator; checked here too so that it can never fail halfway
        case REQUEST_NOT_SET -> throw new MvccException(MvccError.KEY_NOT_FOUND);
        default -> {}
      }
    }
  }

  private TxnResponse.Builder applyTxn(TxnRead tr, TxnRequest rt, Path path, boolean writable)
      throws MvccException {
    TxnResponse.Builder resp = TxnResponse.newBuilder().setSucceeded(path.succeeded());
    int n = 0;
    for (RequestOp op : path.succeeded() ? rt.getSuccessList() : rt.getFailureList()) {
      ResponseOp.Builder r = ResponseOp.newBuilder();
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> r.setResponseRange(Ranges.range(tr, op.getRequestRange()));
        case REQUEST_PUT -> r.setResponsePut(put(writable(tr, writable), op.getRequestPut()));
        case REQUEST_DELETE_RANGE ->
            r.setResponseDeleteRange(
                deleteRange(writable(tr, writable), op.getRequestDeleteRange()));
        case REQUEST_TXN ->
            r.setResponseTxn(
                applyTxn(writable(tr, writable), op.getRequestTxn(), path.nested().get(n++), true)
                    .setHeader(ResponseHeader.getDefaultInstance()));
        case REQUEST_NOT_SET -> throw new MvccException(MvccError.KEY_NOT_FOUND);
      }
      resp.addResponses(r);
    }
    return resp;
  }

  private static TxnWrite writable(TxnRead tr, boolean writable) {
    if (!writable || !(tr instanceof TxnWrite tw)) {
      throw new IllegalArgumentException("read-only txn with a write op");
    }
    return tw;
  }

  /** etcd's isTxnReadonly: every op of both branches is a Range (nested txns count as writes). */
  public static boolean isReadOnly(TxnRequest rt) {
    for (RequestOp op : rt.getSuccessList()) {
      if (op.getRequestCase() != RequestOp.RequestCase.REQUEST_RANGE) {
        return false;
      }
    }
    for (RequestOp op : rt.getFailureList()) {
      if (op.getRequestCase() != RequestOp.RequestCase.REQUEST_RANGE) {
        return false;
      }
    }
    return true;
  }
}
