package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PutDeleteTest {

  @TempDir Path dir;

  StoreFixture leased(Set<Long> leases) {
    return new StoreFixture(dir, MvccOptions.defaults(), leases);
  }

  @Test
  void putRevisionsVersionsAndPrevKv() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      assertThat(f.store.currentRevision()).isEqualTo(1);
      PutResponse p1 = f.put("k", "v1");
      assertThat(p1.getHeader().getRevision()).isEqualTo(2);
      assertThat(p1.hasPrevKv()).isFalse();
      PutResponse p2 =
          (PutResponse)
              f.ok(
                  StoreFixture.put(
                      PutRequest.newBuilder()
                          .setKey(b("k"))
                          .setValue(b("v1"))
                          .setPrevKv(true)
                          .build()));
      assertThat(p2.getHeader().getRevision()).isEqualTo(3);
      assertThat(p2.getPrevKv().getValue()).isEqualTo(b("v1"));
      assertThat(p2.getPrevKv().getModRevision()).isEqualTo(2);
      var kv = f.get("k");
      // identical value still bumps version and mod revision
      assertThat(kv.getVersion()).isEqualTo(2);
      assertThat(kv.getCreateRevision()).isEqualTo(2);
      assertThat(kv.getModRevision()).isEqualTo(3);
      f.delete("k");
      f.put("k", "again");
      kv = f.get("k");
      assertThat(kv.getVersion()).isEqualTo(1);
      assertThat(kv.getCreateRevision()).isEqualTo(5);
      assertThat(f.store.keyCount()).isEqualTo(1);
    }
  }

  @Test
  void leases() throws Exception {
    try (StoreFixture f = leased(Set.of(7L))) {
      assertThat(
              f.fails(StoreFixture.put(PutRequest.newBuilder().setKey(b("k")).setLease(8).build())))
          .isEqualTo(MvccError.LEASE_NOT_FOUND);
      assertThat(f.store.currentRevision()).isEqualTo(1);
      f.ok(
          StoreFixture.put(
              PutRequest.newBuilder().setKey(b("k")).setValue(b("v")).setLease(7).build()));
      assertThat(f.get("k").getLease()).isEqualTo(7);
      // ignore_value keeps the value, and the lease detaches (lease 0 without ignore_lease)
      f.ok(StoreFixture.put(PutRequest.newBuilder().setKey(b("k")).setIgnoreValue(true).build()));
      assertThat(f.get("k").getValue()).isEqualTo(b("v"));
      assertThat(f.get("k").getLease()).isZero();
      f.ok(
          StoreFixture.put(
              PutRequest.newBuilder().setKey(b("k")).setValue(b("w")).setLease(7).build()));
      // ignore_lease keeps the lease
      f.ok(
          StoreFixture.put(
              PutRequest.newBuilder()
                  .setKey(b("k"))
                  .setValue(b("x"))
                  .setIgnoreLease(true)
                  .build()));
      assertThat(f.get("k").getLease()).isEqualTo(7);
      assertThat(f.get("k").getValue()).isEqualTo(b("x"));
    }
  }

  @Test
  void keysWithLeaseFollowPutsDeletesAndReopen() throws Exception {
    try (StoreFixture f = leased(Set.of(7L, 8L))) {
      f.ok(StoreFixture.put(PutRequest.newBuilder().setKey(b("a")).setLease(7).build()));
      f.ok(StoreFixture.put(PutRequest.newBuilder().setKey(b("b")).setLease(7).build()));
      f.ok(StoreFixture.put(PutRequest.newBuilder().setKey(b("c")).setLease(8).build()));
      f.ok(
          StoreFixture.put(
              PutRequest.newBuilder().setKey(b("c")).setLease(7).build())); // moves to 7
      f.ok(
          StoreFixture.put(
              PutRequest.newBuilder().setKey(b("b")).setValue(b("x")).build())); // detaches
      f.ok(StoreFixture.put(PutRequest.newBuilder().setKey(b("d")).setLease(8).build()));
      f.delete("d");
      // a failing txn attaches nothing
      f.fails(
          StoreFixture.txn(
              io.pekkoetcd.protocol.etcdserverpb.TxnRequest.newBuilder()
                  .addSuccess(
                      io.pekkoetcd.protocol.etcdserverpb.RequestOp.newBuilder()
                          .setRequestPut(PutRequest.newBuilder().setKey(b("e")).setLease(8)))
                  .addSuccess(
                      io.pekkoetcd.protocol.etcdserverpb.RequestOp.newBuilder()
                          .setRequestPut(PutRequest.newBuilder().setKey(b("f")).setLease(9)))
                  .build()));
      assertThat(f.store.keysWithLease(7)).containsExactlyInAnyOrder(b("a"), b("c"));
      assertThat(f.store.keysWithLease(8)).isEmpty();
      f.reopen();
      assertThat(f.store.keysWithLease(7)).containsExactlyInAnyOrder(b("a"), b("c"));
      assertThat(f.store.keysWithLease(8)).isEmpty();
      assertThat(f.store.keysWithLease(0)).isEmpty();
    }
  }

  @Test
  void defaultLeaseLookupKnowsNoLease() {
    try (StoreFixture f = new StoreFixture(dir)) {
      assertThat(
              f.fails(StoreFixture.put(PutRequest.newBuilder().setKey(b("k")).setLease(1).build())))
          .isEqualTo(MvccError.LEASE_NOT_FOUND);
    }
  }

  @Test
  void ignoreFlagsOnMissingKey() {
    try (StoreFixture f = new StoreFixture(dir)) {
      assertThat(
              f.fails(
                  StoreFixture.put(
                      PutRequest.newBuilder().setKey(b("k")).setIgnoreValue(true).build())))
          .isEqualTo(MvccError.KEY_NOT_FOUND);
      assertThat(
              f.fails(
                  StoreFixture.put(
                      PutRequest.newBuilder().setKey(b("k")).setIgnoreLease(true).build())))
          .isEqualTo(MvccError.KEY_NOT_FOUND);
      assertThat(f.store.currentRevision()).isEqualTo(1);
      assertThat(f.store.consistentIndex()).isEqualTo(2);
    }
  }

  @Test
  void deleteRange() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.put("a", "1");
      f.put("b", "2");
      f.put("c", "3");
      DeleteRangeResponse none = f.delete("zz");
      assertThat(none.getDeleted()).isZero();
      assertThat(none.getHeader().getRevision()).isEqualTo(4);
      assertThat(f.store.currentRevision()).isEqualTo(4);
      ApplyResult.Ok r =
          (ApplyResult.Ok)
              f.apply(
                  StoreFixture.del(
                      DeleteRangeRequest.newBuilder()
                          .setKey(b("a"))
                          .setRangeEnd(b("c"))
                          .setPrevKv(true)
                          .build()));
      DeleteRangeResponse d = (DeleteRangeResponse) r.response();
      assertThat(d.getDeleted()).isEqualTo(2);
      assertThat(d.getHeader().getRevision()).isEqualTo(5);
      assertThat(d.getPrevKvsList().stream().map(kv -> kv.getValue().toStringUtf8()))
          .containsExactly("1", "2");
      assertThat(r.events()).hasSize(2);
      Event e0 = r.events().get(0);
      assertThat(e0.getType()).isEqualTo(Event.EventType.DELETE);
      assertThat(e0.getKv())
          .isEqualTo(
              io.pekkoetcd.protocol.mvccpb.KeyValue.newBuilder()
                  .setKey(b("a"))
                  .setModRevision(5)
                  .build());
      assertThat(e0.getPrevKv().getValue()).isEqualTo(b("1"));
      assertThat(f.store.keyCount()).isEqualTo(1);
      // from-key delete
      DeleteRangeResponse all = f.deleteRange("\0", "\0");
      assertThat(all.getDeleted()).isEqualTo(1);
      assertThat(f.store.keyCount()).isZero();
      assertThat(f.get("c", 5).getValue()).isEqualTo(b("3"));
      assertThat(f.get("a", 4).getValue()).isEqualTo(b("1"));
    }
  }

  @Test
  void putEvents() {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.put("k", "1");
      ApplyResult.Ok r =
          (ApplyResult.Ok)
              f.apply(
                  StoreFixture.put(
                      PutRequest.newBuilder().setKey(b("k")).setValue(b("2")).build()));
      assertThat(r.revision()).isEqualTo(3);
      assertThat(r.events()).hasSize(1);
      Event e = r.events().get(0);
      assertThat(e.getType()).isEqualTo(Event.EventType.PUT);
      assertThat(e.getKv().getValue()).isEqualTo(b("2"));
      assertThat(e.getKv().getVersion()).isEqualTo(2);
      assertThat(e.getPrevKv().getValue()).isEqualTo(b("1"));
      // no prev_kv when the option is off
    }
    try (StoreFixture f =
        new StoreFixture(dir.resolve("x"), MvccOptions.defaults().withEventsWithPrevKv(false))) {
      f.put("k", "1");
      ApplyResult.Ok r =
          (ApplyResult.Ok)
              f.apply(
                  StoreFixture.put(
                      PutRequest.newBuilder().setKey(b("k")).setValue(b("2")).build()));
      assertThat(r.events().get(0).hasPrevKv()).isFalse();
    }
  }

  @Test
  void noopEntryOnlyAdvancesConsistentIndex() {
    try (StoreFixture f = new StoreFixture(dir)) {
      List<ApplyResult> res = f.applier.applyBatch(List.of(Applied.noop(5), new Applied(6, null)));
      assertThat(res)
          .allMatch(
              r -> r instanceof ApplyResult.Ok ok && ok.events().isEmpty() && ok.revision() == 1);
      assertThat(f.store.consistentIndex()).isEqualTo(6);
      assertThat(f.store.currentRevision()).isEqualTo(1);
    }
  }
}
