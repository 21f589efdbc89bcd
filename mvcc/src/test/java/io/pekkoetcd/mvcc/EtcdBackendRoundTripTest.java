package io.pekkoetcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.bbolt.BoltReader;
import io.pekkoetcd.bbolt.EtcdLayout;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written as etcd's backend file and restored from it is the same store: same revisions,
 * values, tombstones, leases, compacted revision and hashKV; the file holds etcd's encoding.
 */
class EtcdBackendRoundTripTest {
  @TempDir Path dir;

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void storeToBboltAndBack() throws Exception {
    Path file = dir.resolve("snapshot.db");
    int hash;
    try (MvccStore kv = MvccStore.open(dir.resolve("kv"), MvccOptions.defaults())) {
      long index = 1;
      TxnWrite tw = kv.write(index++);
      tw.putLease(new StoredLease(42, 60, 30));
      tw.end();
      for (int i = 0; i < 3000; i++) {
        tw = kv.write(index++);
        tw.put(b("k" + (i % 700)), b("v" + i), i % 100 == 0 ? 42 : 0);
        tw.end();
      }
      tw = kv.write(index++);
      tw.deleteRange(b("k1"), b("k2"), false);
      tw.end();
      tw = kv.write(index++);
      tw.compact(1500);
      tw.end();
      kv.commit(true);
      hash = kv.hashKV(0);
      try (MvccExport export = kv.export()) {
        EtcdBackendExport.Summary s = EtcdBackendExport.write(export, file);
        assertThat(s.revision()).isEqualTo(kv.rev());
      }
    }
    try (BoltReader r = BoltReader.open(file)) {
      assertThat(r.bucketNames())
          .contains("key", "meta", "lease", "cluster", "members", "alarm", "auth");
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      r.forEach(
          (k, v) -> {
            keys.add(k);
            values.add(v);
          },
          EtcdLayout.KEY);
      byte[] lastKey = keys.get(keys.size() - 1);
      assertThat(EtcdLayout.isTombstone(lastKey)).isTrue();
      // etcd's tombstone holds only the key
      assertThat(KeyValue.parseFrom(values.get(values.size() - 1)).getModRevision()).isZero();
      // a compaction at 1500 keeps each key's last revision at or below it
      assertThat(EtcdLayout.mainOf(keys.get(0))).isGreaterThan(1500 - 700);
    }
    EtcdBackendImport.Summary restored = EtcdBackendImport.restore(file, dir.resolve("restored"));
    assertThat(restored.compactedRevision()).isEqualTo(1500);
    assertThat(restored.leases()).isEqualTo(1);
    try (MvccStore copy = MvccStore.open(dir.resolve("restored"), MvccOptions.defaults())) {
      assertThat(copy.rev()).isEqualTo(restored.revision());
      assertThat(copy.consistentIndex()).isZero();
      assertThat(copy.firstRev()).isEqualTo(1500);
      assertThat(copy.hashKV(0)).isEqualTo(hash);
      assertThat(copy.leases()).containsExactly(new StoredLease(42, 60, 30));
      assertThat(copy.range(b("k5"), ByteString.EMPTY, new RangeOptions(0, 0, false, false)).kvs())
          .extracting(KeyValue::getValue)
          .containsExactly(b("v2805"));
    }
  }
}
