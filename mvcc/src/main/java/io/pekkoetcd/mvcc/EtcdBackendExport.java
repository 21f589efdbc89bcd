package io.pekkoetcd.mvcc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.pekkoetcd.bbolt.BoltWriter;
import io.pekkoetcd.bbolt.EtcdLayout;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an {@link MvccExport} (a point-in-time image of the store) as etcd 3.4's backend file, a
 * bbolt database that {@code etcdctl snapshot status} and {@code snapshot restore} read: each
 * revision becomes a {@code key} bucket entry (etcd's revision key, the KeyValue; a tombstone's
 * KeyValue keeps only the key, as etcd writes it), each lease a {@code lease} bucket entry
 * (leasepb.Lease), the consistent index and the compacted revision {@code meta} entries ({@code
 * finishedCompactRev} and {@code scheduledCompactRev}, as after a finished compaction), and the
 * buckets etcd 3.4 creates at start are there, empty but for {@code cluster}'s version. Blocking
 * I/O, any thread; streams: memory holds one page and the meta keys.
 */
public final class EtcdBackendExport {
  private EtcdBackendExport() {}

  /** What the file holds: etcd's "revision" and "total keys" of {@code snapshot status}. */
  public record Summary(long revision, long revisionKeys, long bytes) {}

  /** The cluster version etcd 3.4 stores in its {@code cluster} bucket. */
  static final byte[] CLUSTER_VERSION_3_4 = EtcdLayout.bytes("3.4.0");

  /** Writes {@code export} to {@code file} (created or truncated); does not close the export. */
  public static Summary write(MvccExport export, Path file) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(export, 64 * 1024));
    byte[] magic = in.readNBytes(MvccExport.MAGIC.length);
    if (!Arrays.equals(magic, MvccExport.MAGIC)) {
      throw new IOException("not an MVCC export stream");
    }
    Map<String, byte[]> meta = new TreeMap<>();
    long compactRev = -1;
    long revisionKeys = 0;
    long lastMain = 0;
    try (BoltWriter w = BoltWriter.create(file, BoltWriter.DEFAULT_PAGE_SIZE)) {
      BoltWriter.BucketWriter key = null;
      BoltWriter.BucketWriter lease = null;
      while (true) {
        int klen = in.readInt();
        if (klen == MvccExport.END) {
          break;
        }
        byte[] k = in.readNBytes(klen);
        byte[] v = in.readNBytes(in.readInt());
        switch (k[0]) {
          case Backend.META -> {
            if (Arrays.equals(k, Backend.META_COMPACT_REV)) {
              compactRev = Revision.getLong(v, 0);
            }
          }
          case Backend.REV -> {
            if (key == null) {
              key = w.bucket(EtcdLayout.KEY);
            }
            Revision r = Backend.revOf(k);
            boolean tombstone = Backend.isTombstone(v);
            byte[] kv =
                tombstone
                    ? KeyValue.newBuilder().setKey(Backend.decode(v).getKey()).build().toByteArray()
                    : Arrays.copyOfRange(v, 1, v.length);
            key.put(EtcdLayout.revisionKey(r.main(), r.sub(), tombstone), kv);
            revisionKeys++;
            lastMain = r.main();
          }
          case Backend.LEASE -> {
            if (key != null) {
              key.close();
              key = null;
            }
            if (lease == null) {
              lease = w.bucket(EtcdLayout.LEASE);
            }
            StoredLease l = Backend.decodeLease(k, v);
            lease.put(EtcdLayout.u64BE(l.id()), leaseValue(l));
          }
          default -> {
            // a record this version does not know: not part of etcd's layout
          }
        }
      }
      if (key != null) {
        key.close();
      }
      if (lease != null) {
        lease.close();
      }
      if (revisionKeys == 0) {
        w.bucket(EtcdLayout.KEY).close();
      }
      if (lease == null) {
        w.bucket(EtcdLayout.LEASE).close();
      }
      meta.put("consistent_index", EtcdLayout.u64BE(export.consistentIndex()));
      if (compactRev > 0) {
        byte[] rev = EtcdLayout.revisionKey(compactRev, 0, false);
        meta.put("finishedCompactRev", rev);
        meta.put("scheduledCompactRev", rev);
      }
      try (BoltWriter.BucketWriter m = w.bucket(EtcdLayout.META)) {
        for (var e : meta.entrySet()) {
          m.put(EtcdLayout.bytes(e.getKey()), e.getValue());
        }
      }
      try (BoltWriter.BucketWriter c = w.bucket(EtcdLayout.CLUSTER)) {
        c.put(EtcdLayout.CLUSTER_VERSION, CLUSTER_VERSION_3_4);
      }
      for (byte[] empty :
          new byte[][] {
            EtcdLayout.ALARM,
            EtcdLayout.AUTH,
            EtcdLayout.AUTH_ROLES,
            EtcdLayout.AUTH_USERS,
            EtcdLayout.MEMBERS,
            EtcdLayout.MEMBERS_REMOVED
          }) {
        w.bucket(empty).close();
      }
      long bytes = w.finish(Math.max(2, export.consistentIndex()));
      return new Summary(Math.max(lastMain, Math.max(compactRev, 1)), revisionKeys, bytes);
    }
  }

  /** etcd's leasepb.Lease {ID = 1, TTL = 2, RemainingTTL = 3}. */
  static byte[] leaseValue(StoredLease l) throws IOException {
    byte[] out = new byte[40];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeInt64(1, l.id());
    if (l.ttl() != 0) {
      o.writeInt64(2, l.ttl());
    }
    if (l.remainingTtl() != 0) {
      o.writeInt64(3, l.remainingTtl());
    }
    return Arrays.copyOf(out, o.getTotalBytesWritten());
  }

  /** Reads a leasepb.Lease. */
  static StoredLease parseLease(byte[] v) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(v);
    long id = 0;
    long ttl = 0;
    long remaining = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return new StoredLease(id, ttl, remaining);
      }
      switch (tag >>> 3) {
        case 1 -> id = in.readInt64();
        case 2 -> ttl = in.readInt64();
        case 3 -> remaining = in.readInt64();
        default -> in.skipField(tag);
      }
    }
  }
}
