package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static io.pekkoetcd.actors.apply.StoreFixture.opDel;
import static io.pekkoetcd.actors.apply.StoreFixture.opPut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reopen, replay after the consistent index, hashKV equality, history reads. */
class DurabilityTest {

  @TempDir Path dir;

  /**
   * A fixed script of entries (Raft indexes 1..n): puts, deletes, a txn, a no-op, a failing put, a
   * compaction.
   */
  static List<Applied> script() {
    List<InternalRaftRequest> reqs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      reqs.add(
          StoreFixture.put(
              PutRequest.newBuilder().setKey(b("key" + (i % 3))).setValue(b("v" + i)).build()));
    }
    reqs.add(StoreFixture.del(DeleteRangeRequest.newBuilder().setKey(b("key1")).build()));
    reqs.add(InternalRaftRequest.getDefaultInstance());
    reqs.add(StoreFixture.put(PutRequest.newBuilder().setKey(b("x")).setLease(5).build())); // fails
    reqs.add(
        StoreFixture.txn(
            TxnRequest.newBuilder()
                .addSuccess(opPut("t1", "a"))
                .addSuccess(opPut("t2", "b"))
                .addSuccess(opDel("key0"))
                .build()));
    reqs.add(StoreFixture.compaction(8));
    reqs.add(
        StoreFixture.put(PutRequest.newBuilder().setKey(b("key2")).setValue(b("last")).build()));
    List<Applied> out = new ArrayList<>();
    for (int i = 0; i < reqs.size(); i++) {
      out.add(new Applied(i + 1, reqs.get(i)));
    }
    return out;
  }

  @Test
  void reopenKeepsRevisionKeysAndConsistentIndexAndSkipsReplay() throws Exception {
    List<Applied> script = script();
    long rev;
    List<String> keys;
    try (StoreFixture f = new StoreFixture(dir)) {
      f.applier.applyBatch(script);
      rev = f.store.currentRevision();
      keys =
          StoreFixture.kvs(
              f.range(RangeRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0")).build()));
      assertThat(rev).isEqualTo(14);
      assertThat(f.store.consistentIndex()).isEqualTo(script.size());
      assertThat(f.store.compactedRevision()).isEqualTo(8);
    }
    try (StoreFixture f = new StoreFixture(dir)) {
      assertThat(f.store.currentRevision()).isEqualTo(rev);
      assertThat(f.store.consistentIndex()).isEqualTo(script.size());
      assertThat(f.store.compactedRevision()).isEqualTo(8);
      assertThat(f.store.keyCount()).isEqualTo(3);
      assertThat(
              StoreFixture.kvs(
                  f.range(RangeRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0")).build())))
          .isEqualTo(keys)
          .containsExactly("key2=last", "t1=a", "t2=b");
      // key2 was put at 4, 7, 10 (compaction at 8 dropped 4) and 15: the version survives the
      // rebuild
      assertThat(f.get("key2").getVersion()).isEqualTo(4);
      assertThat(f.get("key2").getCreateRevision()).isEqualTo(4);
      f.applier.applyBatch(
          List.of(
              new Applied(
                  1000,
                  StoreFixture.put(
                      PutRequest.newBuilder().setKey(b("key2")).setValue(b("v")).build()))));
      assertThat(f.get("key2").getVersion()).isEqualTo(5);
      assertThat(f.get("key2").getCreateRevision()).isEqualTo(4);
      rev++;
      // replaying the log from an older index: everything up to the consistent index is skipped
      List<Applied> replay = new ArrayList<>(script.subList(10, script.size()));
      replay.add(
          new Applied(
              1001,
              StoreFixture.put(PutRequest.newBuilder().setKey(b("new")).setValue(b("n")).build())));
      List<ApplyResult> res = f.applier.applyBatch(replay);
      assertThat(res.subList(0, res.size() - 1)).allMatch(r -> r instanceof ApplyResult.Skipped);
      assertThat(res.get(res.size() - 1)).isInstanceOf(ApplyResult.Ok.class);
      assertThat(f.store.currentRevision()).isEqualTo(rev + 1);
      assertThat(f.store.consistentIndex()).isEqualTo(1001);
      // a batch of only skipped entries writes nothing
      assertThat(f.applier.applyBatch(script.subList(0, 2)))
          .allMatch(r -> r instanceof ApplyResult.Skipped);
      assertThat(f.store.consistentIndex()).isEqualTo(1001);
    }
  }

  @Test
  void failedAndNoopEntriesStillCountAsApplied() {
    try (StoreFixture f = new StoreFixture(dir)) {
      List<ApplyResult> res = f.applier.applyBatch(script().subList(10, 13));
      assertThat(res.get(0)).isInstanceOf(ApplyResult.Ok.class); // delete of a missing key
      assertThat(res.get(1)).isInstanceOf(ApplyResult.Ok.class); // no-op
      assertThat(res.get(2)).isEqualTo(new ApplyResult.Failed(13, MvccError.LEASE_NOT_FOUND));
      assertThat(f.store.consistentIndex()).isEqualTo(13);
      assertThat(f.store.currentRevision()).isEqualTo(1);
    }
    try (StoreFixture f = new StoreFixture(dir)) {
      assertThat(f.store.consistentIndex()).isEqualTo(13);
    }
  }

  @Test
  void hashKvIsEqualOnStoresThatAppliedTheSameEntries() throws Exception {
    List<Applied> script = script();
    try (StoreFixture one =
            new StoreFixture(
                dir.resolve("one"), MvccOptions.defaults().withCompactionBatchSize(1));
        StoreFixture many = new StoreFixture(dir.resolve("many"))) {
      one.applier.applyBatch(script);
      for (Applied a : script) {
        many.applier.applyBatch(List.of(a));
      }
      for (long rev : new long[] {0, 8, 10, 14}) {
        assertThat(one.store.hashKV(rev)).as("rev %d", rev).isEqualTo(many.store.hashKV(rev));
      }
      assertThat(one.store.hashKV(9)).isNotEqualTo(one.store.hashKV(10));
      int before = one.store.hashKV(0);
      one.reopen();
      assertThat(one.store.hashKV(0)).isEqualTo(before);
      // a store with one more entry differs
      many.applier.applyBatch(
          List.of(
              new Applied(100, StoreFixture.put(PutRequest.newBuilder().setKey(b("z")).build()))));
      assertThat(many.store.hashKV(0)).isNotEqualTo(before);
      assertThat(many.store.hashKV(14)).isEqualTo(before);
    }
  }

  @Test
  void hashKvErrors() {
    try (StoreFixture f = new StoreFixture(dir)) {
      assertThatThrownBy(() -> f.store.hashKV(2)).hasMessage("FUTURE_REV");
    }
  }

  @Test
  void eventsBetweenReadsWholeRevisions() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.put("a", "1"); // 2
      f.txnOk(
          TxnRequest.newBuilder()
              .addSuccess(opPut("b", "2"))
              .addSuccess(opPut("c", "3"))
              .build()); // 3
      f.delete("a"); // 4
      f.put("b", "22"); // 5
      List<Event> all = f.store.eventsBetween(1, 100, 100);
      assertThat(all)
          .extracting(
              e ->
                  e.getKv().getKey().toStringUtf8()
                      + "@"
                      + e.getKv().getModRevision()
                      + ":"
                      + e.getType())
          .containsExactly("a@2:PUT", "b@3:PUT", "c@3:PUT", "a@4:DELETE", "b@5:PUT");
      assertThat(all.get(3).getKv())
          .isEqualTo(
              io.pekkoetcd.protocol.mvccpb.KeyValue.newBuilder()
                  .setKey(b("a"))
                  .setModRevision(4)
                  .build());
      // at most 2 revisions, never splitting revision 3
      assertThat(f.store.eventsBetween(2, 100, 2)).hasSize(3);
      assertThat(f.store.eventsBetween(3, 3, 1)).hasSize(2);
      assertThat(f.store.eventsBetween(6, 100, 10)).isEmpty();
      assertThat(f.store.eventsBetween(4, 5, 10)).hasSize(2);
      List<Event> withPrev = f.store.eventsBetween(4, 5, 10, true);
      assertThat(withPrev.get(0).getPrevKv().getValue()).isEqualTo(b("1"));
      assertThat(withPrev.get(1).getPrevKv().getValue()).isEqualTo(b("2"));
    }
  }

  @Test
  void applyResultEventsMatchHistory() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      List<Event> fromApply = new ArrayList<>();
      for (ApplyResult r : f.applier.applyBatch(script())) {
        if (r instanceof ApplyResult.Ok ok) {
          fromApply.addAll(ok.events());
        }
      }
      List<Event> history = f.store.eventsBetween(9, 100, 100);
      List<Event> tail =
          fromApply.stream()
              .filter(e -> e.getKv().getModRevision() >= 9)
              .map(e -> e.toBuilder().clearPrevKv().build())
              .toList();
      assertThat(history).isEqualTo(tail);
    }
  }

  @Test
  void sizesAndSyncWrites() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.applier.applyBatch(script(), true);
      assertThat(f.store.dbSizeBytes()).isPositive();
      assertThat(f.store.dbSizeInUseBytes()).isBetween(0L, f.store.dbSizeBytes());
    }
  }
}
