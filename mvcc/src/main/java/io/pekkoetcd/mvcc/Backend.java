package io.pekkoetcd.mvcc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBException;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.Range;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * The LevelDB layout of the store (etcd's "key" and "meta" buckets in one keyspace):
 *
 * <pre>
 *   0x01 main(8) sub(8)    → flag(1) + serialized mvccpb.KeyValue; flag 0 = put (full kv),
 *                            flag 1 = tombstone (kv holds only key and mod_revision)
 *   0x02 id(8)             → ttl(8) remaining ttl(8): a lease (etcd's "lease" bucket), written in
 *                            the batch of the entry that granted or checkpointed it, deleted in the
 *                            batch of the entry that revoked it
 *   0x03 member(8) type(4) → empty: an active alarm (etcd's "alarm" bucket), written and deleted in
 *                            the batch of the entry that activated or deactivated it
 *   0x04 name              → meta value (8-byte big-endian long): consistent index, current revision,
 *                            compacted revision (its garbage is deleted after the batch that
 *                            compacted; re-done on open if interrupted); "membership" → the
 *                            caller's membership blob, written in the batch of the entry that
 *                            changed it; "auth" → the caller's auth store blob, likewise
 * </pre>
 *
 * Revision keys sort in revision order (big-endian, non-negative). The meta records sort after
 * everything else because every batch rewrites them: new revisions are always the highest, so a
 * batch's keys touch only the end of the keyspace, and LevelDB's compactions rewrite only the files
 * there. (Meta first, as before, made every flushed table span the whole keyspace, so every
 * compaction rewrote all of level 1: ~14 bytes compacted per byte written under put load.) A store
 * written with meta under 0x00 is moved to 0x04 when opened. Not thread-safe.
 */
final class Backend implements AutoCloseable {

  static final byte REV = 0x01;
  static final byte LEASE = 0x02;
  static final byte ALARM = 0x03;
  static final byte META = 0x04;

  /** Where the meta records were before they moved after the revisions (see above). */
  static final byte LEGACY_META = 0x00;

  static final byte FLAG_PUT = 0;
  static final byte FLAG_TOMBSTONE = 1;

  static final byte[] META_CONSISTENT_INDEX = meta("consistent_index");
  static final byte[] META_CURRENT_REV = meta("current_revision");
  static final byte[] META_COMPACT_REV = meta("compacted_revision");

  /** The cluster's membership, an opaque blob of the caller's (etcd's "members" buckets). */
  static final byte[] META_MEMBERSHIP = meta("membership");

  /** The auth store, an opaque blob of the caller's (etcd's auth buckets). */
  static final byte[] META_AUTH = meta("auth");

  private final Path dir;
  private final DB db;

  /**
   * Exports reading a LevelDB snapshot: closed before the DB (LevelDB forbids live iterators at
   * close).
   */
  private final java.util.Set<MvccExport> exports =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Backend(Path dir, DB db) {
    this.dir = dir;
    this.db = db;
  }

  static Backend open(Path dir, MvccOptions options) {
    Options o = new Options().createIfMissing(true).cacheSize(options.cacheSizeBytes());
    try {
      Files.createDirectories(dir);
      Backend b = new Backend(dir, JniDBFactory.factory.open(dir.toFile(), o));
      try {
        b.moveLegacyMeta();
      } catch (RuntimeException e) {
        b.close();
        throw e;
      }
      return b;
    } catch (IOException | DBException e) {
      throw new MvccStorageException("cannot open LevelDB at " + dir, e);
    }
  }

  /**
   * Moves meta records written under {@link #LEGACY_META} to {@link #META}, in one synced batch (a
   * crash before it leaves the old layout, to be moved at the next open).
   */
  private void moveLegacyMeta() throws IOException {
    try (DBIterator it = db.iterator();
        WriteBatch batch = db.createWriteBatch()) {
      it.seek(new byte[] {LEGACY_META});
      int moved = 0;
      while (it.hasNext()) {
        Map.Entry<byte[], byte[]> e = it.next();
        byte[] k = e.getKey();
        if (k.length == 0 || k[0] != LEGACY_META) {
          break;
        }
        byte[] newKey = k.clone();
        newKey[0] = META;
        batch.put(newKey, e.getValue());
        batch.delete(k);
        moved++;
      }
      if (moved > 0) {
        db.write(batch, new WriteOptions().sync(true));
      }
    }
  }

  private static byte[] meta(String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] k = new byte[n.length + 1];
    k[0] = META;
    System.arraycopy(n, 0, k, 1, n.length);
    return k;
  }

  static byte[] revKey(Revision r) {
    byte[] k = new byte[1 + Revision.BYTES];
    k[0] = REV;
    r.writeTo(k, 1);
    return k;
  }

  static byte[] leaseKey(long id) {
    byte[] k = new byte[9];
    k[0] = LEASE;
    Revision.putLong(k, 1, id);
    return k;
  }

  static boolean isLeaseKey(byte[] k) {
    return k.length == 9 && k[0] == LEASE;
  }

  static byte[] encodeLease(StoredLease l) {
    byte[] v = new byte[16];
    Revision.putLong(v, 0, l.ttl());
    Revision.putLong(v, 8, l.remainingTtl());
    return v;
  }

  static StoredLease decodeLease(byte[] k, byte[] v) {
    if (v.length != 16) {
      throw new MvccStorageException("corrupt lease record", null);
    }
    return new StoredLease(Revision.getLong(k, 1), Revision.getLong(v, 0), Revision.getLong(v, 8));
  }

  /** An iterator positioned at the first lease key; the caller closes it. */
  DBIterator leases() {
    DBIterator it = db.iterator();
    it.seek(new byte[] {LEASE});
    return it;
  }

  static byte[] alarmKey(StoredAlarm a) {
    byte[] k = new byte[13];
    k[0] = ALARM;
    Revision.putLong(k, 1, a.memberId());
    k[9] = (byte) (a.type() >>> 24);
    k[10] = (byte) (a.type() >>> 16);
    k[11] = (byte) (a.type() >>> 8);
    k[12] = (byte) a.type();
    return k;
  }

  static boolean isAlarmKey(byte[] k) {
    return k.length == 13 && k[0] == ALARM;
  }

  static StoredAlarm decodeAlarm(byte[] k) {
    return new StoredAlarm(Revision.getLong(k, 1), MvccExport.getInt(k, 9));
  }

  /** An iterator positioned at the first alarm key; the caller closes it. */
  DBIterator alarms() {
    DBIterator it = db.iterator();
    it.seek(new byte[] {ALARM});
    return it;
  }

  static boolean isRevKey(byte[] k) {
    return k.length == 1 + Revision.BYTES && k[0] == REV;
  }

  static Revision revOf(byte[] k) {
    return Revision.readFrom(k, 1);
  }

  static byte[] encode(KeyValue kv, boolean tombstone) {
    int n = kv.getSerializedSize();
    byte[] out = new byte[n + 1];
    out[0] = tombstone ? FLAG_TOMBSTONE : FLAG_PUT;
    try {
      com.google.protobuf.CodedOutputStream cos =
          com.google.protobuf.CodedOutputStream.newInstance(out, 1, n);
      kv.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static boolean isTombstone(byte[] v) {
    return v[0] == FLAG_TOMBSTONE;
  }

  static KeyValue decode(byte[] v) {
    try {
      return KeyValue.parseFrom(CodedInputStream.newInstance(v, 1, v.length - 1));
    } catch (IOException e) {
      throw new MvccStorageException("corrupt KeyValue", e);
    }
  }

  /** The index-relevant fields of an encoded KeyValue, parsed without copying the value. */
  record Head(byte[] key, long createRevision, long version, long lease) {}

  static Head decodeHead(byte[] v) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(v, 1, v.length - 1);
      byte[] key = null;
      long create = 0;
      long version = 0;
      long lease = 0;
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        switch (tag >>> 3) {
          case KeyValue.KEY_FIELD_NUMBER -> key = in.readByteArray();
          case KeyValue.CREATE_REVISION_FIELD_NUMBER -> create = in.readInt64();
          case KeyValue.VERSION_FIELD_NUMBER -> version = in.readInt64();
          case KeyValue.LEASE_FIELD_NUMBER -> lease = in.readInt64();
          default -> in.skipField(tag);
        }
      }
      if (key == null) {
        throw new InvalidProtocolBufferException("KeyValue without key");
      }
      return new Head(key, create, version, lease);
    } catch (IOException e) {
      throw new MvccStorageException("corrupt KeyValue", e);
    }
  }

  byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (DBException e) {
      throw new MvccStorageException("LevelDB get failed", e);
    }
  }

  long getLong(byte[] key, long dflt) {
    byte[] v = get(key);
    return v == null ? dflt : Revision.getLong(v, 0);
  }

  static byte[] longValue(long v) {
    byte[] b = new byte[8];
    Revision.putLong(b, 0, v);
    return b;
  }

  WriteBatch newBatch() {
    return db.createWriteBatch();
  }

  /** Writes a batch; the caller still owns (and closes) it. */
  void write(WriteBatch batch, boolean sync) {
    try {
      db.write(batch, new WriteOptions().sync(sync));
    } catch (DBException e) {
      throw new MvccStorageException("LevelDB write failed", e);
    }
  }

  /** An iterator positioned at the first revision key ≥ {@code from}; the caller closes it. */
  DBIterator revisionsFrom(Revision from) {
    DBIterator it = db.iterator();
    it.seek(revKey(from));
    return it;
  }

  /**
   * A forward iterator over every key of a point-in-time LevelDB snapshot, for {@code export}; the
   * caller closes both (iterator first). LevelDB's snapshot and iterator may be read from another
   * thread while this DB keeps being written.
   */
  org.iq80.leveldb.Snapshot newSnapshot() {
    return db.getSnapshot();
  }

  DBIterator snapshotIterator(org.iq80.leveldb.Snapshot snapshot) {
    DBIterator it =
        db.iterator(new org.iq80.leveldb.ReadOptions().snapshot(snapshot).fillCache(false));
    it.seekToFirst();
    return it;
  }

  void register(MvccExport export) {
    exports.add(export);
  }

  void unregister(MvccExport export) {
    exports.remove(export);
  }

  /**
   * LevelDB's full compaction (etcd's defragment): flushes the memtable (a new, empty log) and
   * rewrites every table without deleted and overwritten entries. Blocks until done.
   */
  void compactAll() {
    try {
      db.compactRange(null, null);
    } catch (DBException e) {
      throw new MvccStorageException("LevelDB compaction failed", e);
    }
  }

  /** Physical size of the LevelDB directory. */
  long sizeOnDisk() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(Path::toFile).filter(File::isFile).mapToLong(File::length).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * LevelDB's estimate of the bytes its data takes (excludes log/manifest; lags until memtables are
   * flushed).
   */
  long approximateSize() {
    byte[] end = new byte[] {(byte) 0xff, (byte) 0xff};
    long[] sizes = db.getApproximateSizes(new Range(new byte[] {0}, end));
    return sizes[0];
  }

  @Override
  public void close() {
    for (MvccExport e : List.copyOf(exports)) {
      e.close();
    }
    try {
      db.close();
    } catch (IOException e) {
      throw new MvccStorageException("LevelDB close failed", e);
    }
  }
}
