package io.pekkoetcd.mvcc;

import io.pekkoetcd.bbolt.BoltReader;
import io.pekkoetcd.bbolt.EtcdLayout;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.iq80.leveldb.WriteBatch;

/**
 * Builds a store's LevelDB directory from etcd's backend file (a bbolt database: a snapshot written
 * by real etcd 3.4/3.5 or by {@link EtcdBackendExport}), for {@code pekko-etcdutl snapshot
 * restore}: every {@code key} bucket revision, every {@code lease}, and the compacted revision
 * (etcd's {@code scheduledCompactRev} if a compaction was scheduled but not finished: opening the
 * store finishes it, as etcd does). The consistent index starts at 0: the restored store belongs to
 * a new cluster whose Raft log starts empty. Blocking I/O; the directory must not exist or be
 * empty.
 */
public final class EtcdBackendImport {
  private EtcdBackendImport() {}

  /** What was restored. */
  public record Summary(long revision, long compactedRevision, long revisionKeys, long leases) {}

  private static final int BATCH_BYTES = 4 << 20;

  public static Summary restore(Path boltFile, Path kvDir) throws IOException {
    if (Files.isDirectory(kvDir)) {
      try (var entries = Files.list(kvDir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(kvDir + " is not empty");
        }
      }
    }
    try (BoltReader r = BoltReader.open(boltFile);
        Backend backend = Backend.open(kvDir, MvccOptions.defaults())) {
      Writer out = new Writer(backend);
      long[] last = {0, 0};
      boolean hasKeys =
          r.forEach(
              (k, v) -> {
                if (!EtcdLayout.isRevisionKey(k)) {
                  throw new IOException("not a revision key in bucket key: " + k.length + " bytes");
                }
                long main = EtcdLayout.mainOf(k);
                Revision rev = new Revision(main, EtcdLayout.subOf(k));
                boolean tombstone = EtcdLayout.isTombstone(k);
                KeyValue kv = KeyValue.parseFrom(v);
                if (tombstone) {
                  kv = KeyValue.newBuilder().setKey(kv.getKey()).setModRevision(main).build();
                }
                out.put(Backend.revKey(rev), Backend.encode(kv, tombstone));
                last[0] = Math.max(last[0], main);
                last[1]++;
              },
              EtcdLayout.KEY);
      if (!hasKeys) {
        throw new IOException(boltFile + " has no bucket \"key\": not an etcd backend");
      }
      long[] leases = {0};
      r.forEach(
          (k, v) -> {
            StoredLease l = EtcdBackendExport.parseLease(v);
            out.put(Backend.leaseKey(l.id()), Backend.encodeLease(l));
            leases[0]++;
          },
          EtcdLayout.LEASE);
      long[] compact = {-1, -1};
      r.forEach(
          (k, v) -> {
            if (v.length >= 8 && java.util.Arrays.equals(k, EtcdLayout.FINISHED_COMPACT_REV)) {
              compact[0] = EtcdLayout.mainOf(v);
            } else if (v.length >= 8
                && java.util.Arrays.equals(k, EtcdLayout.SCHEDULED_COMPACT_REV)) {
              compact[1] = EtcdLayout.mainOf(v);
            }
          },
          EtcdLayout.META);
      long compactRev = Math.max(compact[0], compact[1]);
      long revision = Math.max(Math.max(last[0], compactRev), 1);
      out.put(Backend.META_CONSISTENT_INDEX, Backend.longValue(0));
      out.put(Backend.META_CURRENT_REV, Backend.longValue(revision));
      if (compactRev > 0) {
        out.put(Backend.META_COMPACT_REV, Backend.longValue(compactRev));
      }
      out.flush(true);
      return new Summary(revision, compactRev, last[1], leases[0]);
    }
  }

  /** Batches of at most {@link #BATCH_BYTES}. */
  private static final class Writer {
    private final Backend backend;
    private WriteBatch batch;
    private long bytes;

    Writer(Backend backend) {
      this.backend = backend;
      this.batch = backend.newBatch();
    }

    void put(byte[] k, byte[] v) throws IOException {
      batch.put(k, v);
      bytes += k.length + v.length;
      if (bytes >= BATCH_BYTES) {
        flush(false);
      }
    }

    void flush(boolean sync) throws IOException {
      backend.write(batch, sync);
      batch.close();
      batch = backend.newBatch();
      bytes = 0;
    }
  }
}
