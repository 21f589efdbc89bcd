package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random histories checked against a naive model (a full snapshot per revision): every read
 * at every readable revision, after batches, compactions and reopens. The seed is in the test name;
 * rerun it to replay.
 */
class ModelCheckTest {

  @TempDir Path dir;

  /** Model state: the key space at each revision. */
  final Map<Long, TreeMap<String, KeyValue>> snapshots = new HashMap<>();

  TreeMap<String, KeyValue> live = new TreeMap<>();
  long rev = 1;
  long compacted = -1;

  static final String[] KEYS = {"a", "b", "c", "d", "e", "f"};

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 20261122})
  void randomHistoriesMatchTheModel(long seed) throws Exception {
    Random rnd = new Random(seed);
    snapshots.put(1L, new TreeMap<>());
    try (StoreFixture f =
        new StoreFixture(
            dir,
            MvccOptions.defaults()
                .withCompactionBatchSize(2)
                .withKvCacheEntries((int) (seed % 3) * 2))) {
      long index = 1;
      for (int step = 0; step < 60; step++) {
        List<Applied> batch = new ArrayList<>();
        int n = 1 + rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
          batch.add(new Applied(index++, randomRequest(rnd)));
        }
        f.applier.applyBatch(batch);
        if (rnd.nextInt(10) == 0) {
          f.reopen();
        }
        assertThat(f.store.currentRevision()).as("seed %d step %d", seed, step).isEqualTo(rev);
        assertThat(f.store.compactedRevision()).isEqualTo(compacted);
        assertThat(f.store.keyCount()).isEqualTo(live.size());
        for (long r = Math.max(compacted, 1); r <= rev; r++) {
          RangeRequest all =
              RangeRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0")).setRevision(r).build();
          assertThat(f.applier.range(all).getKvsList())
              .as("seed %d step %d rev %d", seed, step, r)
              .containsExactlyElementsOf(snapshots.get(r).values());
        }
      }
    }
  }

  private InternalRaftRequest randomRequest(Random rnd) {
    String k = KEYS[rnd.nextInt(KEYS.length)];
    int kind = rnd.nextInt(10);
    if (kind < 5) {
      String v = "v" + rnd.nextInt(100);
      applyModel(List.<String[]>of(new String[] {"put", k, v}));
      return StoreFixture.put(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build());
    }
    if (kind < 7) {
      String end = KEYS[rnd.nextInt(KEYS.length)];
      applyModel(List.<String[]>of(new String[] {"del", k, end}));
      return StoreFixture.del(
          DeleteRangeRequest.newBuilder().setKey(b(k)).setRangeEnd(b(end)).build());
    }
    if (kind < 9) {
      // if version(k) == expected then put k1, delete k2 else put k3
      long expected = rnd.nextInt(3);
      KeyValue cur = live.get(k);
      boolean ok = (cur == null ? 0 : cur.getVersion()) == expected;
      String k1 = KEYS[rnd.nextInt(3)];
      String k2 = KEYS[3 + rnd.nextInt(3)];
      String k3 = KEYS[rnd.nextInt(KEYS.length)];
      if (ok) {
        applyModel(List.<String[]>of(new String[] {"put", k1, "t"}, new String[] {"del", k2, ""}));
      } else {
        applyModel(List.<String[]>of(new String[] {"put", k3, "f"}));
      }
      return StoreFixture.txn(
          TxnRequest.newBuilder()
              .addCompare(
                  StoreFixture.cmp(
                      k, Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, expected))
              .addSuccess(StoreFixture.opPut(k1, "t"))
              .addSuccess(StoreFixture.opDel(k2))
              .addFailure(StoreFixture.opPut(k3, "f"))
              .build());
    }
    long at = compacted + 1 + rnd.nextInt((int) Math.max(1, rev - compacted));
    if (at <= rev && at > compacted) {
      compacted = at;
    }
    return StoreFixture.compaction(at);
  }

  /** Applies one request's ops to the model: one new revision if anything changed. */
  private void applyModel(List<String[]> ops) {
    long next = rev + 1;
    TreeMap<String, KeyValue> m = new TreeMap<>(live);
    boolean changed = false;
    for (String[] op : ops) {
      if (op[0].equals("put")) {
        KeyValue old = m.get(op[1]);
        m.put(
            op[1],
            KeyValue.newBuilder()
                .setKey(b(op[1]))
                .setValue(b(op[2]))
                .setCreateRevision(old == null ? next : old.getCreateRevision())
                .setModRevision(next)
                .setVersion(old == null ? 1 : old.getVersion() + 1)
                .build());
        changed = true;
      } else {
        List<String> gone = new ArrayList<>();
        for (String key : m.keySet()) {
          boolean in =
              op[2].isEmpty()
                  ? key.equals(op[1])
                  : key.compareTo(op[1]) >= 0 && key.compareTo(op[2]) < 0;
          if (in) {
            gone.add(key);
          }
        }
        gone.forEach(m::remove);
        changed |= !gone.isEmpty();
      }
    }
    if (changed) {
      rev = next;
      live = m;
      snapshots.put(rev, m);
    }
  }
}
