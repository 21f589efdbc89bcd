package io.pekkoetcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's LevelDB layout (see {@link Backend}): the meta records, rewritten by every batch,
 * sort after the revisions, leases and alarms, so that a batch of new revisions touches only the
 * end of the keyspace; and a store written with the meta records first (the layout before) is moved
 * to this one when opened, keeping every value.
 */
class BackendLayoutTest {

  @TempDir Path dir;

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** Writes revisions 2–4, a lease, an alarm, a compaction to 2 and the membership blob. */
  private static void fill(MvccStore kv) throws MvccException {
    TxnWrite tw = kv.write(1);
    tw.putLease(StoredLease.of(7, 10));
    tw.put(b("a"), b("1"), 7);
    tw.end();
    tw = kv.write(2);
    tw.put(b("b"), b("2"), 0);
    tw.putAlarm(new StoredAlarm(5, 1));
    tw.end();
    tw = kv.write(3);
    tw.put(b("a"), b("3"), 0);
    tw.end();
    tw = kv.write(4);
    tw.compact(2);
    tw.putMembership(new byte[] {9, 8, 7});
    tw.end();
    kv.commit(true);
  }

  /** Every record of the LevelDB in {@code d}, in key order (the store must be closed). */
  private static Map<byte[], byte[]> raw(Path d) throws Exception {
    Map<byte[], byte[]> out = new LinkedHashMap<>();
    try (DB db = JniDBFactory.factory.open(d.toFile(), new Options());
        DBIterator it = db.iterator()) {
      it.seekToFirst();
      while (it.hasNext()) {
        Map.Entry<byte[], byte[]> e = it.next();
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private static List<String> hex(Map<byte[], byte[]> records) {
    HexFormat h = HexFormat.of();
    List<String> out = new ArrayList<>();
    records.forEach((k, v) -> out.add(h.formatHex(k) + "=" + h.formatHex(v)));
    return out;
  }

  private static List<Byte> prefixes(Map<byte[], byte[]> records) {
    List<Byte> p = new ArrayList<>();
    for (byte[] k : records.keySet()) {
      p.add(k[0]);
    }
    return p;
  }

  @Test
  void metaRecordsSortAfterRevisionsLeasesAndAlarms() throws Exception {
    Path d = dir.resolve("kv");
    try (MvccStore kv = MvccStore.open(d, MvccOptions.defaults())) {
      fill(kv);
    }
    List<Byte> p = prefixes(raw(d));
    assertThat(p)
        .as("record prefixes in key order")
        .isSorted()
        .contains(Backend.REV, Backend.LEASE, Backend.ALARM, Backend.META)
        .doesNotContain(Backend.LEGACY_META);
    assertThat(p.get(p.size() - 1)).isEqualTo(Backend.META);
    assertThat(p.indexOf(Backend.META)).isGreaterThan(p.lastIndexOf(Backend.ALARM));
  }

  @Test
  void aStoreWithTheMetaRecordsFirstIsMovedWhenOpened() throws Exception {
    Path d = dir.resolve("kv");
    long rev;
    long compacted;
    long consistentIndex;
    try (MvccStore kv = MvccStore.open(d, MvccOptions.defaults())) {
      fill(kv);
      rev = kv.rev();
      compacted = kv.compactedRevision();
      consistentIndex = kv.consistentIndex();
    }
    // rewrite it as the layout before stored it: meta records under 0x00
    Map<byte[], byte[]> before = raw(d);
    int metaRecords = 0;
    try (DB db = JniDBFactory.factory.open(d.toFile(), new Options());
        WriteBatch batch = db.createWriteBatch()) {
      for (Map.Entry<byte[], byte[]> e : before.entrySet()) {
        if (e.getKey()[0] == Backend.META) {
          byte[] legacy = e.getKey().clone();
          legacy[0] = Backend.LEGACY_META;
          batch.put(legacy, e.getValue());
          batch.delete(e.getKey());
          metaRecords++;
        }
      }
      db.write(batch);
    }
    assertThat(metaRecords).isGreaterThanOrEqualTo(4);
    assertThat(prefixes(raw(d)).get(0)).isEqualTo(Backend.LEGACY_META);

    try (MvccStore kv = MvccStore.open(d, MvccOptions.defaults())) {
      assertThat(kv.rev()).isEqualTo(rev);
      assertThat(kv.compactedRevision()).isEqualTo(compacted).isEqualTo(2);
      assertThat(kv.consistentIndex()).isEqualTo(consistentIndex).isEqualTo(4);
      assertThat(kv.membership()).containsExactly(9, 8, 7);
      assertThat(kv.leases()).containsExactly(StoredLease.of(7, 10));
      assertThat(kv.alarms()).containsExactly(new StoredAlarm(5, 1));
      assertThat(
              kv.range(b("a"), ByteString.EMPTY, new RangeOptions(0, 0, false, false))
                  .kvs()
                  .get(0)
                  .getValue())
          .isEqualTo(b("3"));
    }
    Map<byte[], byte[]> after = raw(d);
    assertThat(prefixes(after)).isSorted().doesNotContain(Backend.LEGACY_META);
    assertThat(hex(after)).as("the same records, byte for byte").isEqualTo(hex(before));
  }
}
