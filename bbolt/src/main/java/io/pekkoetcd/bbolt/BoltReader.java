package io.pekkoetcd.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a bbolt file (etcd's backend database, or an etcd snapshot: the trailing SHA-256 is past
 * the last page and never read). Read-only and single-threaded; follows the valid meta page with
 * the higher transaction id, as bbolt does, and reaches pages only from its root (free pages may
 * hold anything).
 */
public final class BoltReader implements AutoCloseable {

  /** One key of a bucket: a value, or a nested bucket ({@link #isBucket()}). */
  public record Entry(byte[] key, byte[] value, boolean isBucket) {}

  /** What a visitor of a bucket's entries is given, in key order. */
  @FunctionalInterface
  public interface Visitor {
    void visit(byte[] key, byte[] value) throws IOException;
  }

  private static final int MAX_DEPTH = 64;

  private final FileChannel channel;
  private final Meta meta;

  private BoltReader(FileChannel channel, Meta meta) {
    this.channel = channel;
    this.meta = meta;
  }

  /** Opens {@code file}; fails if neither meta page is valid. */
  public static BoltReader open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      byte[] first = read(ch, 0, Math.min((int) Math.min(ch.size(), 4096), 4096));
      Meta m0 = Meta.decode(first, Page.HEADER);
      int pageSize = m0 != null ? m0.pageSize() : 4096;
      Meta m1 = null;
      if (ch.size() >= 2L * pageSize) {
        m1 = Meta.decode(read(ch, pageSize, Page.HEADER + Meta.SIZE), Page.HEADER);
      }
      Meta m = m0 == null ? m1 : m1 == null || m0.txid() >= m1.txid() ? m0 : m1;
      if (m == null) {
        ch.close();
        throw new BoltFormatException(file + " is not a bbolt file: no valid meta page");
      }
      return new BoltReader(ch, m);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  public int pageSize() {
    return meta.pageSize();
  }

  /** The transaction id of the meta page in use. */
  public long txid() {
    return meta.txid();
  }

  /** bbolt's {@code Tx.Size()}: the high-water page id times the page size. */
  public long size() {
    return meta.highWater() * meta.pageSize();
  }

  /** The top-level entries (etcd's buckets) in key order. */
  public List<Entry> root() throws IOException {
    return entries(rootBucket());
  }

  /** The names of the top-level buckets, in key order. */
  public List<String> bucketNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (Entry e : root()) {
      if (e.isBucket()) {
        names.add(new String(e.key(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return names;
  }

  /**
   * Visits every key and value of the (possibly nested) bucket at {@code path} in key order; nested
   * buckets inside it are skipped. Returns false if there is no such bucket.
   */
  public boolean forEach(Visitor visitor, byte[]... path) throws IOException {
    byte[] bucket = bucketValue(path);
    if (bucket == null) {
      return false;
    }
    walkBucket(
        bucket,
        (k, v, isBucket) -> {
          if (!isBucket) {
            visitor.visit(k, v);
          }
        });
    return true;
  }

  /** Every entry of the bucket at {@code path} (values and nested buckets), or null if none. */
  public List<Entry> entries(byte[]... path) throws IOException {
    byte[] bucket = bucketValue(path);
    return bucket == null ? null : entries(bucket);
  }

  private List<Entry> entries(byte[] bucket) throws IOException {
    List<Entry> out = new ArrayList<>();
    walkBucket(bucket, (k, v, isBucket) -> out.add(new Entry(k, v, isBucket)));
    return out;
  }

  private byte[] rootBucket() {
    byte[] b = new byte[Page.BUCKET_HEADER];
    Page.putU64(b, 0, meta.root());
    Page.putU64(b, 8, meta.sequence());
    return b;
  }

  /** The bucket header (and inline page) at {@code path}, or null. */
  private byte[] bucketValue(byte[]... path) throws IOException {
    byte[] bucket = rootBucket();
    for (byte[] name : path) {
      byte[] found = null;
      for (Entry e : entries(bucket)) {
        if (e.isBucket() && Arrays.equals(e.key(), name)) {
          found = e.value();
          break;
        }
      }
      if (found == null) {
        return null;
      }
      bucket = found;
    }
    return bucket;
  }

  @FunctionalInterface
  private interface ElementVisitor {
    void visit(byte[] key, byte[] value, boolean isBucket) throws IOException;
  }

  private void walkBucket(byte[] bucket, ElementVisitor v) throws IOException {
    if (bucket.length < Page.BUCKET_HEADER) {
      throw new BoltFormatException("bucket header of " + bucket.length + " bytes");
    }
    long root = Page.u64(bucket, 0);
    if (root == 0) {
      byte[] inline = Arrays.copyOfRange(bucket, Page.BUCKET_HEADER, bucket.length);
      walkPage(inline, v, 0);
    } else {
      walkPage(page(root), v, 0);
    }
  }

  private void walkPage(byte[] p, ElementVisitor v, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new BoltFormatException("page tree deeper than " + MAX_DEPTH + " (a cycle?)");
    }
    int flags = Page.u16(p, 8);
    int count = Page.u16(p, 10);
    if ((flags & Page.BRANCH) != 0) {
      for (int i = 0; i < count; i++) {
        int e = Page.HEADER + i * Page.ELEMENT;
        walkPage(page(Page.u64(p, e + 8)), v, depth + 1);
      }
    } else if ((flags & Page.LEAF) != 0) {
      for (int i = 0; i < count; i++) {
        int e = Page.HEADER + i * Page.ELEMENT;
        int elemFlags = Page.u32(p, e);
        int pos = e + Page.u32(p, e + 4);
        int ksize = Page.u32(p, e + 8);
        int vsize = Page.u32(p, e + 12);
        if (pos < 0 || ksize < 0 || vsize < 0 || (long) pos + ksize + vsize > p.length) {
          throw new BoltFormatException("leaf element " + i + " past its page");
        }
        v.visit(
            Arrays.copyOfRange(p, pos, pos + ksize),
            Arrays.copyOfRange(p, pos + ksize, pos + ksize + vsize),
            (elemFlags & Page.BUCKET_LEAF_FLAG) != 0);
      }
    } else {
      throw new BoltFormatException(
          "page " + Page.u64(p, 0) + ": invalid type " + Integer.toHexString(flags));
    }
  }

  /** The whole page {@code id} with its overflow pages. */
  private byte[] page(long id) throws IOException {
    if (id < 2 || id >= meta.highWater()) {
      throw new BoltFormatException(
          "page " + id + " out of range [2, " + meta.highWater() + ") of " + meta);
    }
    long off = id * meta.pageSize();
    byte[] header = read(channel, off, Page.HEADER);
    long overflow = Page.u32(header, 12) & 0xffffffffL;
    long len = (overflow + 1) * meta.pageSize();
    if (id + overflow >= meta.highWater() || len > Integer.MAX_VALUE) {
      throw new BoltFormatException("page " + id + " overflows past the high-water mark");
    }
    return read(channel, off, (int) len);
  }

  private static byte[] read(FileChannel ch, long off, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(len);
    while (buf.hasRemaining()) {
      if (ch.read(buf, off + buf.position()) < 0) {
        throw new BoltFormatException("file ends at " + (off + buf.position()));
      }
    }
    return buf.array();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
