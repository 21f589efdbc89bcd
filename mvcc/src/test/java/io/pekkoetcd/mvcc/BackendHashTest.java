package io.pekkoetcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance.Hash's hash: two stores that applied the same changes hash the same even when their
 * Raft logs put those changes at other indexes (the consistent index is not hashed); any other
 * difference in the data — a value, a lease, an alarm — changes it.
 */
class BackendHashTest {

  @TempDir Path dir;

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** A store with two puts and a lease, applied from Raft index {@code firstIndex} on. */
  private MvccStore store(String name, long firstIndex, String secondValue) {
    MvccStore kv = MvccStore.open(dir.resolve(name), MvccOptions.defaults());
    TxnWrite tw = kv.write(firstIndex);
    tw.putLease(StoredLease.of(7, 10));
    tw.put(b("a"), b("1"), 7);
    tw.end();
    tw = kv.write(firstIndex + 1);
    tw.put(b("b"), b(secondValue), 0);
    tw.end();
    kv.commit(true);
    return kv;
  }

  private static int hash(MvccStore kv) throws Exception {
    try (MvccExport export = kv.export()) {
      return BackendHash.of(export);
    }
  }

  @Test
  void theSameChangesHashTheSameAtAnyIndexAndAnotherValueDoesNot() throws Exception {
    try (MvccStore one = store("one", 1, "2");
        MvccStore other = store("other", 40, "2");
        MvccStore differs = store("differs", 1, "3")) {
      assertThat(other.consistentIndex()).isNotEqualTo(one.consistentIndex());
      assertThat(hash(other)).isEqualTo(hash(one));
      assertThat(hash(differs)).isNotEqualTo(hash(one));

      TxnWrite tw = other.write(42);
      tw.putAlarm(new StoredAlarm(1, StoredAlarm.NOSPACE));
      tw.end();
      other.commit(true);
      assertThat(hash(other)).isNotEqualTo(hash(one));
      tw = other.write(43);
      tw.deleteAlarm(new StoredAlarm(1, StoredAlarm.NOSPACE));
      tw.end();
      other.commit(true);
      assertThat(hash(other)).isEqualTo(hash(one));
    }
  }
}
