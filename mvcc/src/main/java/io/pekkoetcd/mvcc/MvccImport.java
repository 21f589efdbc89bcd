package io.pekkoetcd.mvcc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBException;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * Builds a store's LevelDB directory from an {@link MvccExport} stream that arrives in pieces
 * (chunks of any size, records may span them). The directory must not hold a store yet; the result
 * is opened with {@link MvccStore#open}.
 *
 * <p>Contract: {@link #accept} the stream's bytes in order, then {@link #finish()} (checks that the
 * stream ended exactly with its end marker, writes the last batch with fsync, closes LevelDB) — or
 * {@link #abort()} (closes and deletes the directory). Not thread-safe; a failed call leaves the
 * import to be aborted.
 */
public final class MvccImport implements AutoCloseable {

  private static final int BATCH_BYTES = 4 << 20;

  private final Path dir;
  private final DB db;
  private WriteBatch batch;
  private long batchBytes;

  /** Bytes of an incomplete header or record carried over to the next chunk. */
  private final ByteArrayOutputStream carry = new ByteArrayOutputStream();

  private boolean magicSeen;
  private boolean ended;
  private boolean closed;
  private long records;

  private MvccImport(Path dir, DB db) {
    this.dir = dir;
    this.db = db;
    this.batch = db.createWriteBatch();
  }

  /** Starts an import into {@code dir}, deleting whatever is there. */
  public static MvccImport begin(Path dir) {
    try {
      deleteRecursively(dir);
      Files.createDirectories(dir);
      return new MvccImport(
          dir, JniDBFactory.factory.open(dir.toFile(), new Options().createIfMissing(true)));
    } catch (IOException | DBException e) {
      throw new MvccStorageException("cannot create LevelDB at " + dir, e);
    }
  }

  /** The LevelDB pairs imported so far. */
  public long records() {
    return records;
  }

  /** The next {@code len} bytes of the stream. */
  public void accept(byte[] data, int off, int len) {
    if (ended && len > 0) {
      throw new MvccStorageException("snapshot stream continues after its end marker", null);
    }
    byte[] buf;
    int pos;
    int end;
    if (carry.size() > 0) {
      carry.write(data, off, len);
      buf = carry.toByteArray();
      carry.reset();
      pos = 0;
      end = buf.length;
    } else {
      buf = data;
      pos = off;
      end = off + len;
    }
    if (!magicSeen) {
      if (end - pos < MvccExport.MAGIC.length) {
        carry.write(buf, pos, end - pos);
        return;
      }
      if (!Arrays.equals(
          buf, pos, pos + MvccExport.MAGIC.length, MvccExport.MAGIC, 0, MvccExport.MAGIC.length)) {
        throw new MvccStorageException("not an MVCC snapshot stream", null);
      }
      magicSeen = true;
      pos += MvccExport.MAGIC.length;
    }
    while (pos < end && !ended) {
      if (end - pos < 4) {
        break;
      }
      int keyLen = MvccExport.getInt(buf, pos);
      if (keyLen == MvccExport.END) {
        ended = true;
        pos += 4;
        break;
      }
      if (keyLen < 0 || end - pos < 8L + keyLen) {
        checkLength(keyLen);
        break;
      }
      int valLen = MvccExport.getInt(buf, pos + 4 + keyLen);
      checkLength(valLen);
      if (end - pos < 8L + keyLen + valLen) {
        break;
      }
      put(
          Arrays.copyOfRange(buf, pos + 4, pos + 4 + keyLen),
          Arrays.copyOfRange(buf, pos + 8 + keyLen, pos + 8 + keyLen + valLen));
      pos += 8 + keyLen + valLen;
    }
    if (ended && pos < end) {
      throw new MvccStorageException("snapshot stream continues after its end marker", null);
    }
    carry.write(buf, pos, end - pos);
  }

  private static void checkLength(int n) {
    if (n < 0) {
      throw new MvccStorageException("corrupt snapshot stream (negative length " + n + ")", null);
    }
  }

  private void put(byte[] key, byte[] value) {
    batch.put(key, value);
    batchBytes += key.length + value.length;
    records++;
    if (batchBytes >= BATCH_BYTES) {
      write(false);
    }
  }

  private void write(boolean sync) {
    try {
      db.write(batch, new WriteOptions().sync(sync));
      batch.close();
    } catch (IOException | DBException e) {
      throw new MvccStorageException("LevelDB write failed in " + dir, e);
    }
    batch = db.createWriteBatch();
    batchBytes = 0;
  }

  /** The whole stream arrived: make it durable and close LevelDB. */
  public void finish() {
    if (!ended || carry.size() > 0) {
      throw new MvccStorageException("snapshot stream truncated (no end marker)", null);
    }
    write(true);
    close();
  }

  /** Give the import up: close LevelDB and delete the directory. */
  public void abort() {
    close();
    try {
      deleteRecursively(dir);
    } catch (IOException e) {
      // a leftover staging directory is deleted by the next import or cleanup
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      batch.close();
    } catch (IOException | RuntimeException ignored) {
      // native memory only
    }
    try {
      db.close();
    } catch (IOException e) {
      throw new MvccStorageException("LevelDB close failed in " + dir, e);
    }
  }

  /** Deletes {@code dir} and everything below it, if it exists. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
