package io.pekkoetcd.mvcc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Snapshot;

/**
 * A point-in-time image of an {@link MvccStore} as a byte stream (etcd sends its whole backend db
 * to a follower that is behind the leader's log compaction; this is ours). Taken by {@link
 * MvccStore#export()} on the owner's thread, between two apply batches, so it holds exactly the
 * store at {@link #consistentIndex()}; read afterwards, lazily, from a LevelDB snapshot: reading
 * never blocks the owner, and the owner may keep applying meanwhile.
 *
 * <p>Format ({@link MvccImport} reads it): the 8 ASCII bytes {@code pkkv0001}, then every LevelDB
 * key of the store in key order (meta keys first, then revisions) as {@code int32 keyLength, key,
 * int32 valueLength, value} (big-endian), then {@code int32 -1}. Raw LevelDB pairs: the receiver's
 * store is the sender's store.
 *
 * <p>Threads: {@link #read} may be called from any one thread at a time; {@link #close} from any
 * thread, also while the store closes (the store closes its open exports first). Both are
 * synchronized on this object, so a close waits for at most one read in progress (one chunk) and a
 * read after close fails.
 */
public final class MvccExport extends InputStream {

  static final byte[] MAGIC = {'p', 'k', 'k', 'v', '0', '0', '0', '1'};
  static final int END = -1;

  private final Backend backend;
  private final long consistentIndex;
  private final long revision;
  private final long approximateBytes;
  private Snapshot snapshot;
  private DBIterator iterator;

  /** The bytes being handed out: the magic, a record, or the end marker. */
  private byte[] pending = MAGIC;

  private int pendingPos;
  private boolean ended;
  private boolean closed;

  MvccExport(Backend backend, long consistentIndex, long revision, long approximateBytes) {
    this.backend = backend;
    this.consistentIndex = consistentIndex;
    this.revision = revision;
    this.approximateBytes = approximateBytes;
    this.snapshot = backend.newSnapshot();
    try {
      this.iterator = backend.snapshotIterator(snapshot);
    } catch (RuntimeException e) {
      closeQuietly(snapshot);
      throw e;
    }
    backend.register(this);
  }

  /** The Raft index of the last entry the image contains. */
  public long consistentIndex() {
    return consistentIndex;
  }

  /** The store's revision in the image. */
  public long revision() {
    return revision;
  }

  /**
   * The store's size on disk when the image was taken (for logs; the stream may be larger or
   * smaller).
   */
  public long approximateBytes() {
    return approximateBytes;
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  /**
   * Fills {@code buf} as far as possible; returns the bytes read, or -1 at the end of the image.
   */
  @Override
  public synchronized int read(byte[] buf, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("export closed (the store was closed or replaced)");
    }
    int n = 0;
    while (n < len) {
      if (pendingPos == pending.length && !refill()) {
        break;
      }
      int take = Math.min(len - n, pending.length - pendingPos);
      System.arraycopy(pending, pendingPos, buf, off + n, take);
      pendingPos += take;
      n += take;
    }
    return n == 0 && len > 0 ? -1 : n;
  }

  /**
   * Loads the next record (or the end marker) into {@code pending}; false when everything was
   * handed out.
   */
  private boolean refill() throws IOException {
    if (ended) {
      return false;
    }
    try {
      if (iterator.hasNext()) {
        Map.Entry<byte[], byte[]> e = iterator.next();
        byte[] k = e.getKey();
        byte[] v = e.getValue();
        byte[] rec = new byte[8 + k.length + v.length];
        putInt(rec, 0, k.length);
        System.arraycopy(k, 0, rec, 4, k.length);
        putInt(rec, 4 + k.length, v.length);
        System.arraycopy(v, 0, rec, 8 + k.length, v.length);
        pending = rec;
      } else {
        pending = new byte[4];
        putInt(pending, 0, END);
        ended = true;
      }
    } catch (RuntimeException e) {
      throw new IOException("reading the LevelDB snapshot failed", e);
    }
    pendingPos = 0;
    return true;
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static int getInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  /** Releases the LevelDB snapshot; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    backend.unregister(this);
    try {
      iterator.close();
    } catch (IOException | RuntimeException ignored) {
      // releasing native memory only
    }
    closeQuietly(snapshot);
    iterator = null;
    snapshot = null;
  }

  private static void closeQuietly(Snapshot s) {
    try {
      s.close();
    } catch (IOException | RuntimeException ignored) {
      // releasing native memory only
    }
  }
}
