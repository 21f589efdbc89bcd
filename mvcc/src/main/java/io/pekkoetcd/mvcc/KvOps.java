package io.pekkoetcd.mvcc;

import com.google.protobuf.ByteString;
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
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Range, Put, DeleteRange and Txn with etcd's semantics (etcd's {@code apply.go} over {@code
 * kvstore_txn.go}). Errors are raised before anything changes: Put checks its lease and ignore
 * flags first; Txn evaluates every compare of the executed path, then checks every put and range of
 * that path, and only then writes.
 */
final class KvOps {

  private final MvccStore store;
  private final TreeIndex index;

  KvOps(MvccStore store, TreeIndex index) {
    this.store = store;
    this.index = index;
  }

  private static ResponseHeader header(long rev) {
    return ResponseHeader.newBuilder().setRevision(rev).build();
  }

  // ---------------------------------------------------------------- Range

  /**
   * Range at {@code curRev} (the store revision, or a txn's read revision); header revision =
   * curRev.
   */
  RangeResponse range(RangeRequest r, long curRev) throws MvccException {
    long rev = r.getRevision();
    if (rev > curRev) {
      throw new MvccException(MvccError.FUTURE_REV);
    }
    if (rev <= 0) {
      rev = curRev;
    }
    if (rev < store.compactMainRev()) {
      throw new MvccException(MvccError.COMPACTED);
    }
    KeyRange kr = KeyRange.of(r.getKey(), r.getRangeEnd());
    RangeResponse.Builder resp = RangeResponse.newBuilder().setHeader(header(curRev));
    if (r.getCountOnly()) {
      return resp.setCount(index.count(kr, rev)).build();
    }
    boolean fetchAll =
        r.getSortOrder() != RangeRequest.SortOrder.NONE
            || r.getMinModRevision() != 0
            || r.getMaxModRevision() != 0
            || r.getMinCreateRevision() != 0
            || r.getMaxCreateRevision() != 0;
    long fetch = fetchAll || r.getLimit() <= 0 ? Long.MAX_VALUE : r.getLimit() + 1;
    List<KeyValue> kvs = new ArrayList<>();
    long count = 0;
    for (KeyIndex ki : index.inRange(kr)) {
      KeyIndex.At at = ki.get(rev);
      if (at == null) {
        continue;
      }
      count++;
      if (kvs.size() < fetch) {
        kvs.add(store.readKv(at.modified()));
      }
    }
    resp.setCount(count);
    if (r.getMaxModRevision() != 0) {
      kvs.removeIf(kv -> kv.getModRevision() > r.getMaxModRevision());
    }
    if (r.getMinModRevision() != 0) {
      kvs.removeIf(kv -> kv.getModRevision() < r.getMinModRevision());
    }
    if (r.getMaxCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.getCreateRevision() > r.getMaxCreateRevision());
    }
    if (r.getMinCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.getCreateRevision() < r.getMinCreateRevision());
    }
    sort(kvs, r.getSortOrder(), r.getSortTarget());
    if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
      kvs = kvs.subList(0, (int) r.getLimit());
      resp.setMore(true);
    }
    for (KeyValue kv : kvs) {
      resp.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
    }
    return resp.build();
  }

  /** Stable sort of a key-ordered list; NONE with a target other than KEY means ASCEND. */
  private static void sort(
      List<KeyValue> kvs, RangeRequest.SortOrder order, RangeRequest.SortTarget target) {
    if (order == RangeRequest.SortOrder.NONE && target != RangeRequest.SortTarget.KEY) {
      order = RangeRequest.SortOrder.ASCEND;
    }
    if (order != RangeRequest.SortOrder.ASCEND && order != RangeRequest.SortOrder.DESCEND) {
      return;
    }
    Comparator<KeyValue> c =
        switch (target) {
          case KEY ->
              (a, b) ->
                  ByteString.unsignedLexicographicalComparator().compare(a.getKey(), b.getKey());
          case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
          case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
          case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
          case VALUE ->
              (a, b) ->
                  ByteString.unsignedLexicographicalComparator()
                      .compare(a.getValue(), b.getValue());
          case UNRECOGNIZED -> null;
        };
    if (c == null) {
      return;
    }
    kvs.sort(order == RangeRequest.SortOrder.DESCEND ? c.reversed() : c);
  }

  // ---------------------------------------------------------------- Put

  PutResponse put(WriteTxn tw, PutRequest p) throws MvccException {
    long lease = p.getLease();
    if (lease != 0 && !store.options().leases().exists(lease)) {
      throw new MvccException(MvccError.LEASE_NOT_FOUND);
    }
    byte[] key = p.getKey().toByteArray();
    boolean ignore = p.getIgnoreValue() || p.getIgnoreLease();
    KeyIndex.At at = index.get(key, tw.readRev());
    KeyValue prev = null;
    if (at != null && (ignore || p.getPrevKv() || store.options().eventsWithPrevKv())) {
      prev = store.readKv(at.modified());
    }
    if (ignore && prev == null) {
      if (!tw.changed()) {
        throw new MvccException(MvccError.KEY_NOT_FOUND);
      }
      // Only reachable in a txn that deleted the key with a from-key delete the duplicate rule
      // misses
      // (etcd bug #22445); etcd panics here, we put an empty value without lease instead.
    }
    ByteString value =
        p.getIgnoreValue() ? (prev == null ? ByteString.EMPTY : prev.getValue()) : p.getValue();
    if (p.getIgnoreLease()) {
      lease = prev == null ? 0 : prev.getLease();
    }
    Revision rev = tw.nextRevision();
    KeyValue kv =
        KeyValue.newBuilder()
            .setKey(p.getKey())
            .setValue(value)
            .setCreateRevision(at == null ? rev.main() : at.createRevision())
            .setModRevision(rev.main())
            .setVersion(at == null ? 1 : at.version() + 1)
            .setLease(lease)
            .build();
    store.stage(rev, kv, false);
    index.put(key, rev);
    Event.Builder ev = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
    if (prev != null && store.options().eventsWithPrevKv()) {
      ev.setPrevKv(prev);
    }
    tw.events.add(ev.build());
    PutResponse.Builder resp = PutResponse.newBuilder().setHeader(header(rev.main()));
    if (p.getPrevKv() && prev != null) {
      resp.setPrevKv(prev);
    }
    return resp.build();
  }

  // ---------------------------------------------------------------- DeleteRange

  DeleteRangeResponse deleteRange(WriteTxn tw, DeleteRangeRequest d) {
    KeyRange kr = KeyRange.of(d.getKey(), d.getRangeEnd());
    List<TreeIndex.Hit> hits = index.range(kr, tw.readRev());
    DeleteRangeResponse.Builder resp = DeleteRangeResponse.newBuilder();
    boolean needPrev = d.getPrevKv() || store.options().eventsWithPrevKv();
    for (TreeIndex.Hit hit : hits) {
      KeyValue prev = needPrev ? store.readKv(hit.at().modified()) : null;
      if (d.getPrevKv()) {
        resp.addPrevKvs(prev);
      }
      Revision rev = tw.nextRevision();
      KeyValue tomb =
          KeyValue.newBuilder()
              .setKey(prev != null ? prev.getKey() : ByteString.copyFrom(hit.key()))
              .setModRevision(rev.main())
              .build();
      store.stage(rev, tomb, true);
      index.tombstone(hit.key(), rev);
      Event.Builder ev = Event.newBuilder().setType(Event.EventType.DELETE).setKv(tomb);
      if (prev != null && store.options().eventsWithPrevKv()) {
        ev.setPrevKv(prev);
      }
      tw.events.add(ev.build());
    }
    long rev = (!hits.isEmpty() || tw.changed()) ? tw.writeRev() : tw.beginRev;
    return resp.setDeleted(hits.size()).setHeader(header(rev)).build();
  }

  // ---------------------------------------------------------------- Txn

  /** Which branch each txn of the request takes: this txn, then its nested txns in op order. */
  private record Path(boolean succeeded, List<Path> nested) {}

  /**
   * A txn: compares and checks against the state before it, then the executed branch. For a
   * read-only txn ({@code writable == false}) every op must be a Range.
   */
  TxnResponse txn(WriteTxn tw, TxnRequest rt, boolean writable) throws MvccException {
    Path path = compareToPath(rt, tw.readRev());
    if (writable) {
      checkPuts(rt, path, tw.readRev());
    }
    checkRanges(rt, path, tw.readRev());
    TxnResponse.Builder resp = applyTxn(tw, rt, path, writable);
    return resp.setHeader(header(tw.readRev())).build();
  }

  private Path compareToPath(TxnRequest rt, long rev) throws MvccException {
    boolean ok = true;
    for (Compare c : rt.getCompareList()) {
      if (!applyCompare(c, rev)) {
        ok = false;
        break;
      }
    }
    List<Path> nested = new ArrayList<>();
    for (RequestOp op : ok ? rt.getSuccessList() : rt.getFailureList()) {
      if (op.getRequestCase() == RequestOp.RequestCase.REQUEST_TXN) {
        nested.add(compareToPath(op.getRequestTxn(), rev));
      }
    }
    return new Path(ok, nested);
  }

  private boolean applyCompare(Compare c, long rev) {
    KeyRange kr = KeyRange.of(c.getKey(), c.getRangeEnd());
    List<TreeIndex.Hit> hits = index.range(kr, rev);
    if (hits.isEmpty()) {
      // VALUE on a missing key is always false; the other targets compare a zero KeyValue
      return c.getTarget() != Compare.CompareTarget.VALUE
          && compareKv(c, KeyValue.getDefaultInstance());
    }
    boolean needKv =
        c.getTarget() == Compare.CompareTarget.VALUE
            || c.getTarget() == Compare.CompareTarget.LEASE;
    for (TreeIndex.Hit hit : hits) {
      // version, create and mod revision come from the index: no backend read
      KeyValue kv =
          needKv
              ? store.readKv(hit.at().modified())
              : KeyValue.newBuilder()
                  .setVersion(hit.at().version())
                  .setCreateRevision(hit.at().createRevision())
                  .setModRevision(hit.at().modified().main())
                  .build();
      if (!compareKv(c, kv)) {
        return false;
      }
    }
    return true;
  }

  private static boolean compareKv(Compare c, KeyValue kv) {
    int result;
    switch (c.getTarget()) {
      case VALUE:
        {
          ByteString v =
              c.getTargetUnionCase() == Compare.TargetUnionCase.VALUE
                  ? c.getValue()
                  : ByteString.EMPTY;
          result = ByteString.unsignedLexicographicalComparator().compare(kv.getValue(), v);
          break;
        }
      case CREATE:
        result =
            Long.compare(
                kv.getCreateRevision(),
                c.getTargetUnionCase() == Compare.TargetUnionCase.CREATE_REVISION
                    ? c.getCreateRevision()
                    : 0);
        break;
      case MOD:
        result =
            Long.compare(
                kv.getModRevision(),
                c.getTargetUnionCase() == Compare.TargetUnionCase.MOD_REVISION
                    ? c.getModRevision()
                    : 0);
        break;
      case VERSION:
        result =
            Long.compare(
                kv.getVersion(),
                c.getTargetUnionCase() == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0);
        break;
      case LEASE:
        result =
            Long.compare(
                kv.getLease(),
                c.getTargetUnionCase() == Compare.TargetUnionCase.LEASE ? c.getLease() : 0);
        break;
      default:
        result = 0;
    }
    return switch (c.getResult()) {
      case EQUAL -> result == 0;
      case NOT_EQUAL -> result != 0;
      case GREATER -> result > 0;
      case LESS -> result < 0;
      default -> true;
    };
  }

  /**
   * etcd's checkRequestPut over the executed path: ignore flags need the key, a lease must exist.
   */
  private void checkPuts(TxnRequest rt, Path path, long rev) throws MvccException {
    int n = 0;
    for (RequestOp op : path.succeeded() ? rt.getSuccessList() : rt.getFailureList()) {
      switch (op.getRequestCase()) {
        case REQUEST_TXN -> checkPuts(op.getRequestTxn(), path.nested().get(n++), rev);
        case REQUEST_PUT -> {
          PutRequest p = op.getRequestPut();
          if ((p.getIgnoreValue() || p.getIgnoreLease())
              && index.get(p.getKey().toByteArray(), rev) == null) {
            throw new MvccException(MvccError.KEY_NOT_FOUND);
          }
          if (p.getLease() != 0 && !store.options().leases().exists(p.getLease())) {
            throw new MvccException(MvccError.LEASE_NOT_FOUND);
          }
        }
        default -> {}
      }
    }
  }

  /** etcd's checkRequestRange over the executed path: an explicit revision must be readable. */
  private void checkRanges(TxnRequest rt, Path path, long rev) throws MvccException {
    int n = 0;
    for (RequestOp op : path.succeeded() ? rt.getSuccessList() : rt.getFailureList()) {
      switch (op.getRequestCase()) {
        case REQUEST_TXN -> checkRanges(op.getRequestTxn(), path.nested().get(n++), rev);
        case REQUEST_RANGE -> {
          long r = op.getRequestRange().getRevision();
          if (r == 0) {
            continue;
          }
          if (r > rev) {
            throw new MvccException(MvccError.FUTURE_REV);
          }
          if (r < store.compactMainRev()) {
            throw new MvccException(MvccError.COMPACTED);
          }
        }
        // rejected by KvRequestValidator; checked here too so that it can never fail halfway
        case REQUEST_NOT_SET -> throw new MvccException(MvccError.KEY_NOT_FOUND);
        default -> {}
      }
    }
  }

  private TxnResponse.Builder applyTxn(WriteTxn tw, TxnRequest rt, Path path, boolean writable)
      throws MvccException {
    TxnResponse.Builder resp = TxnResponse.newBuilder().setSucceeded(path.succeeded());
    int n = 0;
    for (RequestOp op : path.succeeded() ? rt.getSuccessList() : rt.getFailureList()) {
      ResponseOp.Builder r = ResponseOp.newBuilder();
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> r.setResponseRange(range(op.getRequestRange(), tw.readRev()));
        case REQUEST_PUT ->
            r.setResponsePut(put(requireWritable(tw, writable), op.getRequestPut()));
        case REQUEST_DELETE_RANGE ->
            r.setResponseDeleteRange(
                deleteRange(requireWritable(tw, writable), op.getRequestDeleteRange()));
        case REQUEST_TXN ->
            r.setResponseTxn(
                applyTxn(
                        requireWritable(tw, writable),
                        op.getRequestTxn(),
                        path.nested().get(n++),
                        true)
                    .setHeader(ResponseHeader.getDefaultInstance()));
        case REQUEST_NOT_SET -> throw new MvccException(MvccError.KEY_NOT_FOUND);
      }
      resp.addResponses(r);
    }
    return resp;
  }

  private static WriteTxn requireWritable(WriteTxn tw, boolean writable) {
    if (!writable) {
      throw new IllegalArgumentException("read-only txn with a write op");
    }
    return tw;
  }

  /** etcd's isTxnReadonly: every op of both branches is a Range (nested txns count as writes). */
  static boolean isReadOnly(TxnRequest rt) {
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
