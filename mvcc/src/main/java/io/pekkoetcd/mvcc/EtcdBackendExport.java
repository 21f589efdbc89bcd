package io.pekkoetcd.mvcc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.pekkoetcd.bbolt.BoltWriter;
import io.pekkoetcd.bbolt.EtcdLayout;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
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
 * (leasepb.Lease), each active alarm an {@code alarm} bucket key (AlarmMember), the consistent
 * index and the compacted revision {@code meta} entries ({@code finishedCompactRev} and {@code
 * scheduledCompactRev}, as after a finished compaction), and the buckets etcd 3.4 creates at start
 * are there, empty but for {@code cluster}'s version. Blocking I/O, any thread; streams: memory
 * holds one page and the meta keys.
 */
public final class EtcdBackendExport {
  private EtcdBackendExport() {}

  /** What the file holds: etcd's "revision" and "total keys" of {@code snapshot status}. */
  public record Summary(long revision, long revisionKeys, long bytes) {}

  /** The cluster version etcd 3.4 stores in its {@code cluster} bucket. */
  static final byte[] CLUSTER_VERSION_3_4 = EtcdLayout.bytes("3.4.0");

  /** Writes {@code export} to {@code file} (created or truncated); does not close the export. */
  public static Summary write(MvccExport export, Path file) throws IOException {
    ExportRecords records = ExportRecords.open(export);
    Map<String, byte[]> meta = new TreeMap<>();
    long compactRev = -1;
    long revisionKeys = 0;
    long lastMain = 0;
    try (BoltWriter w = BoltWriter.create(file, BoltWriter.DEFAULT_PAGE_SIZE)) {
      // LevelDB's prefixes come in order (revisions, leases, alarms, meta): one bucket at a time
      java.util.Set<String> written = new java.util.HashSet<>();
      BoltWriter.BucketWriter open = null;
      byte openPrefix = Backend.META;
      while (records.next()) {
        byte[] k = records.key();
        byte[] v = records.value();
        byte prefix = k[0];
        if (prefix == Backend.META) {
          if (Arrays.equals(k, Backend.META_COMPACT_REV)) {
            compactRev = Revision.getLong(v, 0);
          }
          continue;
        }
        byte[] bucket =
            switch (prefix) {
              case Backend.REV -> EtcdLayout.KEY;
              case Backend.LEASE -> EtcdLayout.LEASE;
              case Backend.ALARM -> EtcdLayout.ALARM;
              default -> null; // a record this version does not know: not in etcd's layout
            };
        if (bucket == null) {
          continue;
        }
        if (open == null || prefix != openPrefix) {
          if (open != null) {
            open.close();
          }
          open = w.bucket(bucket);
          openPrefix = prefix;
          written.add(new String(bucket, java.nio.charset.StandardCharsets.UTF_8));
        }
        switch (prefix) {
          case Backend.REV -> {
            Revision r = Backend.revOf(k);
            boolean tombstone = Backend.isTombstone(v);
            byte[] kv =
                tombstone
                    ? KeyValue.newBuilder().setKey(Backend.decode(v).getKey()).build().toByteArray()
                    : Arrays.copyOfRange(v, 1, v.length);
            open.put(EtcdLayout.revisionKey(r.main(), r.sub(), tombstone), kv);
            revisionKeys++;
            lastMain = r.main();
          }
          case Backend.LEASE -> {
            StoredLease l = Backend.decodeLease(k, v);
            open.put(EtcdLayout.u64BE(l.id()), leaseValue(l));
          }
          default -> open.put(alarmMember(Backend.decodeAlarm(k)), new byte[0]);
        }
      }
      if (open != null) {
        open.close();
      }
      for (byte[] empty :
          new byte[][] {
            EtcdLayout.KEY,
            EtcdLayout.LEASE,
            EtcdLayout.ALARM,
            EtcdLayout.AUTH,
            EtcdLayout.AUTH_ROLES,
            EtcdLayout.AUTH_USERS,
            EtcdLayout.MEMBERS,
            EtcdLayout.MEMBERS_REMOVED
          }) {
        if (!written.contains(new String(empty, java.nio.charset.StandardCharsets.UTF_8))) {
          w.bucket(empty).close();
        }
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
      long bytes = w.finish(Math.max(2, export.consistentIndex()));
      return new Summary(Math.max(lastMain, Math.max(compactRev, 1)), revisionKeys, bytes);
    }
  }

  /** etcd's AlarmMember {memberID = 1, alarm = 2}: the alarm bucket's key. */
  static byte[] alarmMember(StoredAlarm a) throws IOException {
    byte[] out = new byte[24];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    if (a.memberId() != 0) {
      o.writeUInt64(1, a.memberId());
    }
    if (a.type() != 0) {
      o.writeEnum(2, a.type());
    }
    return Arrays.copyOf(out, o.getTotalBytesWritten());
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
