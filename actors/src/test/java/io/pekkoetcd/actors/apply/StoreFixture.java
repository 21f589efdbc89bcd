package io.pekkoetcd.actors.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.mvcc.MvccStore;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.List;

/** A store in a temp dir plus helpers that propose each request as the next Raft entry. */
class StoreFixture implements AutoCloseable {
  final Path dir;
  final MvccOptions options;
  MvccStore store;
  KvApplier applier;
  long nextIndex = 1;

  StoreFixture(Path dir) {
    this(dir, MvccOptions.defaults());
  }

  StoreFixture(Path dir, MvccOptions options) {
    this.dir = dir;
    this.options = options;
    this.store = MvccStore.open(dir, options);
    this.applier = new KvApplier(store);
  }

  /** Grants {@code leases} (TTL 60 s), one entry each. */
  StoreFixture(Path dir, MvccOptions options, java.util.Set<Long> leases) {
    this(dir, options);
    for (long id : new java.util.TreeSet<>(leases)) {
      ok(grant(id, 60));
    }
  }

  void reopen() {
    store.close();
    store = MvccStore.open(dir, options);
    applier = new KvApplier(store);
  }

  static InternalRaftRequest grant(long id, long ttl) {
    return InternalRaftRequest.newBuilder()
        .setLeaseGrant(
            io.pekkoetcd.protocol.etcdserverpb.LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl))
        .build();
  }

  static InternalRaftRequest revoke(long id) {
    return InternalRaftRequest.newBuilder()
        .setLeaseRevoke(
            io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeRequest.newBuilder().setID(id))
        .build();
  }

  static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static String s(ByteString b) {
    return b.toStringUtf8();
  }

  ApplyResult apply(InternalRaftRequest r) {
    List<ApplyResult> res = applier.applyBatch(List.of(new Applied(nextIndex++, r)));
    assertThat(res).hasSize(1);
    return res.get(0);
  }

  Message ok(InternalRaftRequest r) {
    ApplyResult res = apply(r);
    assertThat(res).isInstanceOf(ApplyResult.Ok.class);
    return ((ApplyResult.Ok) res).response();
  }

  MvccError fails(InternalRaftRequest r) {
    ApplyResult res = apply(r);
    assertThat(res).isInstanceOf(ApplyResult.Failed.class);
    return ((ApplyResult.Failed) res).error();
  }

  static InternalRaftRequest put(PutRequest p) {
    return InternalRaftRequest.newBuilder().setPut(p).build();
  }

  static InternalRaftRequest del(DeleteRangeRequest d) {
    return InternalRaftRequest.newBuilder().setDeleteRange(d).build();
  }

  static InternalRaftRequest txn(TxnRequest t) {
    return InternalRaftRequest.newBuilder().setTxn(t).build();
  }

  static InternalRaftRequest compaction(long rev) {
    return InternalRaftRequest.newBuilder()
        .setCompaction(CompactionRequest.newBuilder().setRevision(rev))
        .build();
  }

  PutResponse put(String k, String v) {
    return (PutResponse) ok(put(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build()));
  }

  DeleteRangeResponse delete(String k) {
    return (DeleteRangeResponse) ok(del(DeleteRangeRequest.newBuilder().setKey(b(k)).build()));
  }

  DeleteRangeResponse deleteRange(String k, String end) {
    return (DeleteRangeResponse)
        ok(del(DeleteRangeRequest.newBuilder().setKey(b(k)).setRangeEnd(b(end)).build()));
  }

  TxnResponse txnOk(TxnRequest t) {
    return (TxnResponse) ok(txn(t));
  }

  RangeResponse range(RangeRequest r) throws MvccException {
    return applier.range(r);
  }

  /** The key at a revision (0 = latest), null if absent. */
  KeyValue get(String k, long rev) throws MvccException {
    RangeResponse r =
        applier.range(RangeRequest.newBuilder().setKey(b(k)).setRevision(rev).build());
    return r.getKvsCount() == 0 ? null : r.getKvs(0);
  }

  KeyValue get(String k) throws MvccException {
    return get(k, 0);
  }

  /** Keys of a range as "key=value" strings. */
  static List<String> kvs(RangeResponse r) {
    return r.getKvsList().stream().map(kv -> s(kv.getKey()) + "=" + s(kv.getValue())).toList();
  }

  static RequestOp opPut(String k, String v) {
    return RequestOp.newBuilder()
        .setRequestPut(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)))
        .build();
  }

  static RequestOp opGet(String k) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b(k))).build();
  }

  static RequestOp opDel(String k) {
    return RequestOp.newBuilder()
        .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(b(k)))
        .build();
  }

  static RequestOp opDelRange(String k, String end) {
    return RequestOp.newBuilder()
        .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(b(k)).setRangeEnd(b(end)))
        .build();
  }

  static RequestOp opTxn(TxnRequest t) {
    return RequestOp.newBuilder().setRequestTxn(t).build();
  }

  static Compare cmp(String k, Compare.CompareTarget target, Compare.CompareResult result, long v) {
    Compare.Builder c = Compare.newBuilder().setKey(b(k)).setTarget(target).setResult(result);
    switch (target) {
      case VERSION -> c.setVersion(v);
      case CREATE -> c.setCreateRevision(v);
      case MOD -> c.setModRevision(v);
      case LEASE -> c.setLease(v);
      default -> throw new IllegalArgumentException();
    }
    return c.build();
  }

  static Compare cmpValue(String k, Compare.CompareResult result, String v) {
    return Compare.newBuilder()
        .setKey(b(k))
        .setTarget(Compare.CompareTarget.VALUE)
        .setResult(result)
        .setValue(b(v))
        .build();
  }

  @Override
  public void close() {
    store.close();
  }
}
