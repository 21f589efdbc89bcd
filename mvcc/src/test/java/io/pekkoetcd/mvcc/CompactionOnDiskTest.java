package io.pekkoetcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a compaction leaves on disk, through the {@link KV} interface: the key_index worked example
 * shifted by one (a fresh store is at revision 1): put foo@2, put foo@3, delete foo@4, put foo@5,
 * delete foo@6, put bar@7.
 */
class CompactionOnDiskTest {

  @TempDir Path dir;

  private long index;

  static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private void put(KV kv, String k, String v) {
    TxnWrite tw = kv.write(++index);
    tw.put(b(k), b(v), 0);
    tw.end();
    kv.commit(false);
  }

  private void delete(KV kv, String k) {
    TxnWrite tw = kv.write(++index);
    tw.deleteRange(b(k), ByteString.EMPTY, false);
    tw.end();
    kv.commit(false);
  }

  private void compact(KV kv, long rev) throws MvccException {
    TxnWrite tw = kv.write(++index);
    tw.compact(rev);
    tw.end();
    kv.commit(false);
  }

  private void example(KV kv) {
    put(kv, "foo", "v2");
    put(kv, "foo", "v3");
    delete(kv, "foo");
    put(kv, "foo", "v5");
    delete(kv, "foo");
    put(kv, "bar", "b7");
    assertThat(kv.rev()).isEqualTo(7);
  }

  @Test
  void compactionDeletesWhatNoReadAtOrAfterItNeeds() throws Exception {
    long[][] cases = {
      {2, 2, 3, 4, 5, 6, 7}, {3, 3, 4, 5, 6, 7}, {4, 5, 6, 7}, {5, 5, 6, 7}, {6, 7}, {7, 7}
    };
    for (long[] c : cases) {
      Path d = dir.resolve("at" + c[0]);
      index = 0;
      try (MvccStore s = MvccStore.open(d, MvccOptions.defaults())) {
        example(s);
        compact(s, c[0]);
      }
      List<Long> stored = new ArrayList<>();
      for (int i = 1; i < c.length; i++) {
        stored.add(c[i]);
      }
      assertThat(storedRevisions(d)).as("compact(%d)", c[0]).isEqualTo(stored);
    }
  }

  /**
   * A crash in the middle of deleting compaction garbage: the rest is deleted on open, orphan
   * tombstones too.
   */
  @Test
  void interruptedGarbageDeletionIsFinishedOnOpen() throws Exception {
    try (MvccStore s = MvccStore.open(dir, MvccOptions.defaults())) {
      example(s);
      compact(s, 6); // garbage: foo@2, @3, @4(t), @5, @6(t)
    }
    // put back what an interrupted deletion would have left: foo@4(t), foo@5 and foo@6(t)
    Backend be = Backend.open(dir, MvccOptions.defaults());
    var wb = be.newBatch();
    wb.put(
        Backend.revKey(new Revision(4, 0)),
        Backend.encode(KeyValue.newBuilder().setKey(b("foo")).setModRevision(4).build(), true));
    wb.put(
        Backend.revKey(new Revision(5, 0)),
        Backend.encode(
            KeyValue.newBuilder()
                .setKey(b("foo"))
                .setValue(b("v5"))
                .setCreateRevision(5)
                .setModRevision(5)
                .setVersion(1)
                .build(),
            false));
    wb.put(
        Backend.revKey(new Revision(6, 0)),
        Backend.encode(KeyValue.newBuilder().setKey(b("foo")).setModRevision(6).build(), true));
    be.write(wb, true);
    wb.close();
    be.close();
    try (MvccStore s = MvccStore.open(dir, MvccOptions.defaults())) {
      assertThat(s.range(b("foo"), ByteString.EMPTY, RangeOptions.ALL).kvs()).isEmpty();
      assertThat(s.keyCount()).isEqualTo(1);
    }
    assertThat(storedRevisions(dir)).containsExactly(7L); // only bar@7 is left
  }

  /**
   * A compaction that is not physical leaves its garbage on disk, unreachable, until {@link
   * KV#deleteGarbage} deletes it a batch at a time; a store closed before that deletes the rest
   * when it is opened again.
   */
  @Test
  void garbageOfANonPhysicalCompactionIsDeletedInBatchesOrOnOpen() throws Exception {
    int compactedAtSix = compactedAtSixHash();
    MvccOptions twoPerBatch = MvccOptions.defaults().withCompactionBatchSize(2);
    Path d1 = dir.resolve("batches");
    try (MvccStore s = MvccStore.open(d1, twoPerBatch)) {
      example(s);
      TxnWrite tw = s.write(++index);
      tw.compact(6, false); // garbage: foo@2, @3, @4(t), @5, @6(t)
      tw.end();
      s.commit(false);
      assertThat(s.garbageLeft()).isEqualTo(5);
      assertThat(s.range(b("foo"), ByteString.EMPTY, RangeOptions.ALL).kvs()).isEmpty();
      assertThat(s.hashKV(0)).isEqualTo(compactedAtSix);
      assertThat(s.deleteGarbage(2)).isEqualTo(3);
      assertThat(s.deleteGarbage(2)).isEqualTo(1);
      assertThat(s.deleteGarbage(2)).isZero();
      assertThat(s.deleteGarbage(2)).isZero();
    }
    assertThat(storedRevisions(d1)).containsExactly(7L);

    index = 0;
    Path d2 = dir.resolve("closed-early");
    try (MvccStore s = MvccStore.open(d2, twoPerBatch)) {
      example(s);
      TxnWrite tw = s.write(++index);
      tw.compact(6, false);
      tw.end();
      s.commit(false);
      assertThat(s.deleteGarbage(2)).isEqualTo(3);
    }
    assertThat(storedRevisions(d2)).hasSize(4); // bar@7 and three garbage revisions
    try (MvccStore s = MvccStore.open(d2, twoPerBatch)) {
      assertThat(s.garbageLeft()).isZero();
      assertThat(s.hashKV(0)).isEqualTo(compactedAtSix);
    }
    assertThat(storedRevisions(d2)).containsExactly(7L);
  }

  /** HashKV of the example after a physical compaction at 6 (leaves {@link #index} at 0). */
  private int compactedAtSixHash() throws Exception {
    try (MvccStore s = MvccStore.open(dir.resolve("physical"), MvccOptions.defaults())) {
      example(s);
      compact(s, 6);
      return s.hashKV(0);
    } finally {
      index = 0;
    }
  }

  static List<Long> storedRevisions(Path dir) throws Exception {
    List<Long> out = new ArrayList<>();
    Backend be = Backend.open(dir, MvccOptions.defaults());
    try (var it = be.revisionsFrom(new Revision(0, 0))) {
      while (it.hasNext()) {
        var e = it.next();
        if (!Backend.isRevKey(e.getKey())) {
          break;
        }
        out.add(Backend.revOf(e.getKey()).main());
      }
    } finally {
      be.close();
    }
    return out;
  }
}
