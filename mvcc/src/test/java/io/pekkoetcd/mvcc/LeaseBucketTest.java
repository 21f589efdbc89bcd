package io.pekkoetcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease bucket: leases are written with the batch of their entry, survive a reopen, and travel
 * in an export; revoking a lease and deleting its keys in one txn is one revision.
 */
class LeaseBucketTest {

  @TempDir Path dir;

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void leasesSurviveReopenAndRevokeIsOneRevision() {
    try (MvccStore kv = MvccStore.open(dir.resolve("kv"), MvccOptions.defaults())) {
      TxnWrite tw = kv.write(1);
      tw.putLease(StoredLease.of(7, 10));
      tw.putLease(StoredLease.of(-3, 20));
      tw.end();
      tw = kv.write(2);
      tw.put(b("a"), b("1"), 7);
      tw.put(b("b"), b("2"), 7);
      tw.end();
      kv.commit(true);
      assertThat(kv.rev()).isEqualTo(2);
    }
    try (MvccStore kv = MvccStore.open(dir.resolve("kv"), MvccOptions.defaults())) {
      assertThat(kv.leases()).containsExactly(StoredLease.of(-3, 20), StoredLease.of(7, 10));
      assertThat(kv.keysWithLease(7)).containsExactlyInAnyOrder(b("a"), b("b"));
      TxnWrite tw = kv.write(3);
      for (ByteString k : kv.keysWithLease(7)) {
        tw.deleteRange(k, ByteString.EMPTY, false);
      }
      tw.deleteLease(7);
      assertThat(tw.changes()).hasSize(2);
      tw.end();
      kv.commit(true);
      assertThat(kv.rev()).isEqualTo(3);
      assertThat(kv.lease(7)).isNull();
    }
    try (MvccStore kv = MvccStore.open(dir.resolve("kv"), MvccOptions.defaults())) {
      assertThat(kv.leases()).containsExactly(StoredLease.of(-3, 20));
      assertThat(kv.keysWithLease(7)).isEmpty();
    }
  }

  @Test
  void anExportCarriesTheLeases() throws Exception {
    try (MvccStore kv = MvccStore.open(dir.resolve("kv"), MvccOptions.defaults())) {
      TxnWrite tw = kv.write(1);
      tw.putLease(new StoredLease(42, 60, 30));
      tw.end();
      kv.commit(true);
      try (MvccExport export = kv.export();
          MvccImport imp = MvccImport.begin(dir.resolve("copy"))) {
        byte[] all = export.readAllBytes();
        imp.accept(all, 0, all.length);
        imp.finish();
      }
    }
    try (MvccStore copy = MvccStore.open(dir.resolve("copy"), MvccOptions.defaults())) {
      assertThat(copy.leases()).containsExactly(new StoredLease(42, 60, 30));
      assertThat(copy.consistentIndex()).isEqualTo(1);
    }
  }
}
