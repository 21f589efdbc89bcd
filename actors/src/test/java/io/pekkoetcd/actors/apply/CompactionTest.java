package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.protocol.etcdserverpb.CompactionResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compaction at tombstones, through the apply layer (what stays on disk: mvcc's {@code
 * CompactionOnDiskTest}): the key_index worked example shifted by one (a fresh store is at revision
 * 1): put foo@2, put foo@3, delete foo@4, put foo@5, delete foo@6; "bar" put at 7 keeps the
 * revision moving.
 */
class CompactionTest {

  @TempDir Path dir;

  static StoreFixture example(Path dir) {
    StoreFixture f = new StoreFixture(dir);
    f.put("foo", "v2");
    f.put("foo", "v3");
    f.delete("foo");
    f.put("foo", "v5");
    f.delete("foo");
    f.put("bar", "b7");
    assertThat(f.store.currentRevision()).isEqualTo(7);
    return f;
  }

  /** What a read of foo at each revision 2..7 returns: value or null. */
  static final String[] FOO_AT = {null, null, "v2", "v3", null, "v5", null, null};

  static Stream<Arguments> compactions() {
    // compact at, revisions still stored (main), events from the compact revision on
    return Stream.of(
        Arguments.of(2L, List.of(2L, 3L, 4L, 5L, 6L, 7L)),
        Arguments.of(3L, List.of(3L, 4L, 5L, 6L, 7L)),
        Arguments.of(4L, List.of(5L, 6L, 7L)),
        Arguments.of(5L, List.of(5L, 6L, 7L)),
        Arguments.of(6L, List.of(7L)),
        Arguments.of(7L, List.of(7L)));
  }

  @ParameterizedTest(name = "compact({0})")
  @MethodSource("compactions")
  void compactKeepsLatestAtRevisionAndDropsTombstones(long at, List<Long> stored) throws Exception {
    try (StoreFixture f = example(dir)) {
      CompactionResponse resp = (CompactionResponse) f.ok(StoreFixture.compaction(at));
      assertThat(resp.getHeader().getRevision()).isEqualTo(7);
      assertThat(f.store.compactedRevision()).isEqualTo(at);
      assertThat(f.store.currentRevision()).isEqualTo(7);
      assertStored(f, stored);
      for (long rev = 2; rev <= 7; rev++) {
        final long r = rev;
        if (rev < at) {
          assertThatThrownBy(() -> f.get("foo", r))
              .isInstanceOf(MvccException.class)
              .extracting(e -> ((MvccException) e).error())
              .isEqualTo(MvccError.COMPACTED);
        } else {
          var kv = f.get("foo", rev);
          assertThat(kv == null ? null : kv.getValue().toStringUtf8())
              .as("foo@%d", rev)
              .isEqualTo(FOO_AT[(int) rev]);
        }
      }
      // the same after reopening (index rebuilt from what is left on disk)
      f.reopen();
      assertStored(f, stored);
      assertThat(f.store.compactedRevision()).isEqualTo(at);
      assertThat(f.store.currentRevision()).isEqualTo(7);
      for (long rev = at; rev <= 7; rev++) {
        var kv = f.get("foo", rev);
        assertThat(kv == null ? null : kv.getValue().toStringUtf8()).isEqualTo(FOO_AT[(int) rev]);
      }
    }
  }

  private static void assertStored(StoreFixture f, List<Long> stored) throws MvccException {
    // history still readable from the compact revision on: exactly the stored revisions
    var events = f.store.eventsBetween(f.store.compactedRevision(), 100, 100);
    assertThat(events.stream().map(e -> e.getKv().getModRevision()).toList()).isEqualTo(stored);
  }

  @Test
  void compactionErrors() throws Exception {
    try (StoreFixture f = example(dir)) {
      assertThat(f.fails(StoreFixture.compaction(8))).isEqualTo(MvccError.FUTURE_REV);
      f.ok(StoreFixture.compaction(4));
      assertThat(f.fails(StoreFixture.compaction(4))).isEqualTo(MvccError.COMPACTED);
      assertThat(f.fails(StoreFixture.compaction(3))).isEqualTo(MvccError.COMPACTED);
      f.ok(StoreFixture.compaction(7));
      assertThat(f.store.compactedRevision()).isEqualTo(7);
      // reading exactly at the compaction revision is allowed; below it is not; above current is
      // future
      assertThat(f.get("bar", 7).getValue()).isEqualTo(b("b7"));
      assertThatThrownBy(() -> f.get("bar", 6)).hasMessage("COMPACTED");
      assertThatThrownBy(() -> f.get("bar", 8)).hasMessage("FUTURE_REV");
      assertThatThrownBy(() -> f.store.eventsBetween(6, 7, 10)).hasMessage("COMPACTED");
      assertThatThrownBy(() -> f.store.hashKV(6)).hasMessage("COMPACTED");
      assertThatThrownBy(() -> f.store.hashKV(8)).hasMessage("FUTURE_REV");
    }
  }

  @Test
  void freshStoreCompaction() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      assertThat(f.store.compactedRevision()).isEqualTo(-1);
      assertThat(f.fails(StoreFixture.compaction(2))).isEqualTo(MvccError.FUTURE_REV);
      f.ok(StoreFixture.compaction(1));
      assertThat(f.fails(StoreFixture.compaction(1))).isEqualTo(MvccError.COMPACTED);
      assertThat(f.store.currentRevision()).isEqualTo(1);
    }
  }

  @Test
  void compactionInBatchesRemovesEverySupersededRevision() throws Exception {
    try (StoreFixture f =
        new StoreFixture(dir, MvccOptions.defaults().withCompactionBatchSize(3))) {
      for (int i = 0; i < 20; i++) {
        f.put("k" + (i % 4), "v" + i);
      }
      long rev = f.store.currentRevision(); // 21
      int hashBefore = f.store.hashKV(rev);
      f.ok(StoreFixture.compaction(rev - 1));
      assertThat(f.store.eventsBetween(rev - 1, rev, 10)).hasSize(2); // k2@20 and k3@21
      assertThat(
              f.range(RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l")).build())
                  .getCount())
          .isEqualTo(4);
      assertThat(f.store.keyCount()).isEqualTo(4);
      // the compact revision is part of the hash
      assertThat(f.store.hashKV(rev)).isNotEqualTo(hashBefore);
    }
  }

  @Test
  void compactionInTheSameBatchAsWrites() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      var res =
          f.applier.applyBatch(
              List.of(
                  new Applied(
                      1,
                      StoreFixture.put(
                          io.pekkoetcd.protocol.etcdserverpb.PutRequest.newBuilder()
                              .setKey(b("a"))
                              .setValue(b("1"))
                              .build())),
                  new Applied(
                      2,
                      StoreFixture.put(
                          io.pekkoetcd.protocol.etcdserverpb.PutRequest.newBuilder()
                              .setKey(b("a"))
                              .setValue(b("2"))
                              .build())),
                  new Applied(3, StoreFixture.compaction(3))));
      assertThat(res).allMatch(r -> r instanceof ApplyResult.Ok);
      f.nextIndex = 4;
      assertThat(f.store.eventsBetween(3, 3, 10)).hasSize(1);
      assertThat(f.get("a").getValue()).isEqualTo(b("2"));
      f.reopen();
      assertThat(f.store.eventsBetween(3, 3, 10)).hasSize(1);
      assertThat(f.get("a").getVersion()).isEqualTo(2);
    }
  }
}
