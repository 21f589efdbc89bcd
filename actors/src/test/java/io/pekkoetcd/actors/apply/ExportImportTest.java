package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.mvcc.MvccExport;
import io.pekkoetcd.mvcc.MvccImport;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.mvcc.MvccStorageException;
import io.pekkoetcd.mvcc.MvccStore;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store exported (point in time) and imported elsewhere is the same store: same hash, reads,
 * index.
 */
class ExportImportTest {

  @TempDir Path dir;

  @Test
  void importedStoreEqualsTheExportedOneAtTheExportPoint() throws Exception {
    try (StoreFixture f = new StoreFixture(dir.resolve("a"))) {
      f.applier.applyBatch(DurabilityTest.script());
      long index = f.store.consistentIndex();
      long rev = f.store.currentRevision();
      int hash = f.store.hashKV(0);
      byte[] image;
      try (MvccExport export = f.store.export()) {
        // the owner keeps applying while the export is read: the image stays at the export point
        f.applier.applyBatch(
            List.of(
                new Applied(
                    index + 1,
                    StoreFixture.put(
                        PutRequest.newBuilder().setKey(b("later")).setValue(b("x")).build()))));
        assertThat(export.consistentIndex()).isEqualTo(index);
        image = export.readAllBytes();
      }
      // odd chunk sizes: records and the magic split across chunks
      for (int chunk : new int[] {1, 3, 7, 64, image.length}) {
        Path target = dir.resolve("b" + chunk);
        MvccImport imp = MvccImport.begin(target);
        for (int off = 0; off < image.length; off += chunk) {
          imp.accept(image, off, Math.min(chunk, image.length - off));
        }
        imp.finish();
        try (MvccStore copy = MvccStore.open(target, MvccOptions.defaults())) {
          assertThat(copy.consistentIndex()).isEqualTo(index);
          assertThat(copy.currentRevision()).isEqualTo(rev);
          assertThat(copy.compactedRevision()).isEqualTo(8);
          assertThat(copy.hashKV(0)).isEqualTo(hash);
          assertThat(
                  new KvApplier(copy)
                      .range(RangeRequest.newBuilder().setKey(b("later")).build())
                      .getKvsCount())
              .isZero();
          assertThat(
                  new KvApplier(copy)
                      .range(RangeRequest.newBuilder().setKey(b("key2")).build())
                      .getKvs(0)
                      .getValue())
              .isEqualTo(b("last"));
        }
      }
    }
  }

  @Test
  void truncatedOrTrailingStreamIsRefused() throws Exception {
    byte[] image;
    try (StoreFixture f = new StoreFixture(dir.resolve("a"))) {
      f.applier.applyBatch(DurabilityTest.script());
      try (MvccExport export = f.store.export()) {
        image = export.readAllBytes();
      }
    }
    MvccImport truncated = MvccImport.begin(dir.resolve("t"));
    truncated.accept(image, 0, image.length - 4);
    assertThatThrownBy(truncated::finish).isInstanceOf(MvccStorageException.class);
    truncated.abort();
    ByteArrayOutputStream longer = new ByteArrayOutputStream();
    longer.write(image);
    longer.write(1);
    MvccImport trailing = MvccImport.begin(dir.resolve("u"));
    assertThatThrownBy(() -> trailing.accept(longer.toByteArray(), 0, longer.size()))
        .isInstanceOf(MvccStorageException.class);
    trailing.abort();
  }

  @Test
  void closingTheStoreClosesItsExports() throws Exception {
    StoreFixture f = new StoreFixture(dir.resolve("a"));
    f.applier.applyBatch(DurabilityTest.script());
    MvccExport export = f.store.export();
    assertThat(export.read(new byte[4], 0, 4)).isEqualTo(4);
    f.store.close();
    assertThatThrownBy(() -> export.read(new byte[4], 0, 4)).isInstanceOf(IOException.class);
    export.close();
  }
}
