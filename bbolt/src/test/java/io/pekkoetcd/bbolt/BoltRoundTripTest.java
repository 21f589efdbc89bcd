package io.pekkoetcd.bbolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoltRoundTripTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void bucketsOfEverySizeReadBackInOrder() throws Exception {
    Path file = dir.resolve("db");
    Random random = new Random(7);
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      keys.add(EtcdLayout.revisionKey(i + 2, 0, i % 10 == 9));
      // mostly small values, a few spanning several pages (overflow)
      byte[] v = new byte[i % 997 == 0 ? 3 * 4096 + 17 : random.nextInt(120)];
      random.nextBytes(v);
      values.add(v);
    }
    long size;
    try (BoltWriter w = BoltWriter.create(file, 4096)) {
      try (BoltWriter.BucketWriter key = w.bucket(EtcdLayout.KEY)) {
        for (int i = 0; i < keys.size(); i++) {
          key.put(keys.get(i), values.get(i));
        }
      }
      try (BoltWriter.BucketWriter meta = w.bucket(EtcdLayout.META)) {
        meta.put(EtcdLayout.CONSISTENT_INDEX, EtcdLayout.u64BE(42));
      }
      w.bucket(EtcdLayout.AUTH).close();
      size = w.finish(5);
    }
    assertThat(Files.size(file)).isEqualTo(size);
    assertThat(size % 4096).isZero();
    try (BoltReader r = BoltReader.open(file)) {
      assertThat(r.pageSize()).isEqualTo(4096);
      assertThat(r.txid()).isEqualTo(5);
      assertThat(r.size()).isEqualTo(size);
      assertThat(r.bucketNames()).containsExactly("auth", "key", "meta");
      List<byte[]> readKeys = new ArrayList<>();
      List<byte[]> readValues = new ArrayList<>();
      assertThat(
              r.forEach(
                  (k, v) -> {
                    readKeys.add(k);
                    readValues.add(v);
                  },
                  EtcdLayout.KEY))
          .isTrue();
      assertThat(readKeys).hasSameSizeAs(keys);
      for (int i = 0; i < keys.size(); i++) {
        assertThat(readKeys.get(i)).isEqualTo(keys.get(i));
        assertThat(readValues.get(i)).isEqualTo(values.get(i));
      }
      assertThat(r.entries(EtcdLayout.AUTH)).isEmpty();
      assertThat(r.entries(EtcdLayout.META)).hasSize(1);
      assertThat(r.entries(b("nope"))).isNull();
    }
  }

  @Test
  void revisionKeysAsEtcdEncodesThem() {
    byte[] k = EtcdLayout.revisionKey(0x0102, 3, true);
    assertThat(k).containsExactly(0, 0, 0, 0, 0, 0, 1, 2, '_', 0, 0, 0, 0, 0, 0, 0, 3, 't');
    assertThat(EtcdLayout.isRevisionKey(k)).isTrue();
    assertThat(EtcdLayout.isTombstone(k)).isTrue();
    assertThat(EtcdLayout.mainOf(k)).isEqualTo(0x0102);
    assertThat(EtcdLayout.subOf(k)).isEqualTo(3);
  }

  @Test
  void keysMustAscendAndDamagedMetaIsRefused() throws Exception {
    Path file = dir.resolve("db");
    try (BoltWriter w = BoltWriter.create(file, 4096)) {
      BoltWriter.BucketWriter key = w.bucket(EtcdLayout.KEY);
      key.put(b("b"), b("1"));
      assertThatThrownBy(() -> key.put(b("a"), b("2")))
          .isInstanceOf(IllegalArgumentException.class);
      key.close();
      w.finish(1);
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[16 + 20] ^= 1; // meta 0's root page id: checksum no longer matches
    bytes[4096 + 16 + 20] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> BoltReader.open(file).close())
        .isInstanceOf(BoltFormatException.class)
        .hasMessageContaining("no valid meta page");
  }
}
