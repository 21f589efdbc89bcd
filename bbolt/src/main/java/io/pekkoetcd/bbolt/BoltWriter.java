package io.pekkoetcd.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes a new bbolt file bottom-up from sorted input, as a bulk load: each bucket's keys are given
 * in ascending order and its leaf pages go to disk as they fill (memory holds one page per bucket
 * plus one branch element per page written), then the branch levels above them, then the root
 * bucket, an empty freelist and the two meta pages. Every page up to the high-water mark is
 * reachable, so bbolt's {@code tx.Check()} (run by {@code etcdctl snapshot status}) finds nothing.
 *
 * <p>Layout: pages 0 and 1 meta, page 2 the freelist (empty), data from page 3. Top-level buckets
 * only (etcd has no nested ones); each is written as pages, never inline. Single-threaded; one
 * bucket open at a time.
 */
public final class BoltWriter implements AutoCloseable {
  public static final int DEFAULT_PAGE_SIZE = 4096;
  private static final long FIRST_DATA_PAGE = 3;

  private final FileChannel channel;
  private final int pageSize;
  private long nextPage = FIRST_DATA_PAGE;
  private final TreeMap<byte[], Long> buckets = new TreeMap<>(Arrays::compareUnsigned);
  private BucketWriter open;
  private boolean finished;

  private BoltWriter(FileChannel channel, int pageSize) {
    this.channel = channel;
    this.pageSize = pageSize;
  }

  /** Creates (or truncates) {@code file}. */
  public static BoltWriter create(Path file, int pageSize) throws IOException {
    if (pageSize < 1024 || Integer.bitCount(pageSize) != 1) {
      throw new IllegalArgumentException("page size " + pageSize);
    }
    return new BoltWriter(
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING),
        pageSize);
  }

  /** Starts the top-level bucket {@code name}; the previous one must be closed. */
  public BucketWriter bucket(byte[] name) {
    if (open != null || finished) {
      throw new IllegalStateException("a bucket is still open, or the file is finished");
    }
    if (buckets.containsKey(name)) {
      throw new IllegalArgumentException("bucket written twice");
    }
    open = new BucketWriter(name.clone(), 0);
    return open;
  }

  /**
   * Writes the root bucket, the freelist and both meta pages with transaction id {@code txid};
   * returns the file's size in bytes (bbolt's {@code Tx.Size()}).
   */
  public long finish(long txid) throws IOException {
    if (open != null) {
      throw new IllegalStateException("a bucket is still open");
    }
    finished = true;
    BucketWriter root = new BucketWriter(null, Page.BUCKET_LEAF_FLAG);
    for (var e : buckets.entrySet()) {
      byte[] header = new byte[Page.BUCKET_HEADER];
      Page.putU64(header, 0, e.getValue());
      root.put(e.getKey(), header);
    }
    long rootPage = root.finishTree();
    byte[] freelist = new byte[pageSize];
    Page.putHeader(freelist, 2, Page.FREELIST, 0, 0);
    write(2, freelist);
    for (int i = 0; i < 2; i++) {
      byte[] p = new byte[pageSize];
      Page.putHeader(p, i, Page.META, 0, 0);
      new Meta(pageSize, rootPage, 0, 2, nextPage, txid).encode(p, Page.HEADER);
      write(i, p);
    }
    channel.force(true);
    return nextPage * pageSize;
  }

  private void write(long pgid, byte[] page) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(page);
    long off = pgid * pageSize;
    while (buf.hasRemaining()) {
      channel.write(buf, off + buf.position());
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** The keys of one bucket, given in strictly ascending unsigned byte order. */
  public final class BucketWriter implements AutoCloseable {
    private final byte[] name;
    private final int elementFlags;
    private final List<byte[]> keys = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();
    private int bytes = Page.HEADER;

    /** First key and page id of every leaf (then branch) page of the level being built. */
    private List<byte[]> levelKeys = new ArrayList<>();

    private List<Long> levelPages = new ArrayList<>();
    private byte[] last;
    private long count;

    private BucketWriter(byte[] name, int elementFlags) {
      this.name = name;
      this.elementFlags = elementFlags;
    }

    public void put(byte[] key, byte[] value) throws IOException {
      if (key.length == 0) {
        throw new IllegalArgumentException("empty key");
      }
      if (last != null && Arrays.compareUnsigned(last, key) >= 0) {
        throw new IllegalArgumentException("keys out of order");
      }
      last = key;
      int size = Page.ELEMENT + key.length + value.length;
      if (!keys.isEmpty() && bytes + size > pageSize) {
        flushLeaf();
      }
      keys.add(key);
      values.add(value);
      bytes += size;
      count++;
    }

    /** How many keys were put. */
    public long count() {
      return count;
    }

    private void flushLeaf() throws IOException {
      byte[] page = new byte[pages(bytes) * pageSize];
      int n = keys.size();
      int data = Page.HEADER + n * Page.ELEMENT;
      for (int i = 0; i < n; i++) {
        int e = Page.HEADER + i * Page.ELEMENT;
        byte[] k = keys.get(i);
        byte[] v = values.get(i);
        Page.putU32(page, e, elementFlags);
        Page.putU32(page, e + 4, data - e);
        Page.putU32(page, e + 8, k.length);
        Page.putU32(page, e + 12, v.length);
        System.arraycopy(k, 0, page, data, k.length);
        System.arraycopy(v, 0, page, data + k.length, v.length);
        data += k.length + v.length;
      }
      emit(page, Page.LEAF, n, n == 0 ? new byte[0] : keys.get(0), levelKeys, levelPages);
      keys.clear();
      values.clear();
      bytes = Page.HEADER;
    }

    private int pages(long size) {
      return (int) ((size + pageSize - 1) / pageSize);
    }

    private void emit(
        byte[] page, int flags, int n, byte[] firstKey, List<byte[]> outKeys, List<Long> outPages)
        throws IOException {
      if (n > 0xFFFF) {
        throw new IllegalStateException("more than 65535 elements in a page");
      }
      long id = nextPage;
      int span = page.length / pageSize;
      Page.putHeader(page, id, flags, n, span - 1);
      write(id, page);
      nextPage += span;
      outKeys.add(firstKey);
      outPages.add(id);
    }

    /** Writes the last leaf and the branch levels; returns the root page id. */
    private long finishTree() throws IOException {
      if (!keys.isEmpty() || levelPages.isEmpty()) {
        flushLeaf();
      }
      while (levelPages.size() > 1) {
        List<byte[]> upKeys = new ArrayList<>();
        List<Long> upPages = new ArrayList<>();
        int from = 0;
        while (from < levelPages.size()) {
          int size = Page.HEADER;
          int to = from;
          while (to < levelPages.size()) {
            int add = Page.ELEMENT + levelKeys.get(to).length;
            if (to > from && size + add > pageSize) {
              break;
            }
            size += add;
            to++;
          }
          byte[] page = new byte[pages(size) * pageSize];
          int data = Page.HEADER + (to - from) * Page.ELEMENT;
          for (int i = from; i < to; i++) {
            int e = Page.HEADER + (i - from) * Page.ELEMENT;
            byte[] k = levelKeys.get(i);
            Page.putU32(page, e, data - e);
            Page.putU32(page, e + 4, k.length);
            Page.putU64(page, e + 8, levelPages.get(i));
            System.arraycopy(k, 0, page, data, k.length);
            data += k.length;
          }
          emit(page, Page.BRANCH, to - from, levelKeys.get(from), upKeys, upPages);
          from = to;
        }
        levelKeys = upKeys;
        levelPages = upPages;
      }
      return levelPages.get(0);
    }

    /** Writes what is left of this bucket; its keys are final. */
    @Override
    public void close() throws IOException {
      if (open != this) {
        return;
      }
      long root = finishTree();
      buckets.put(name, root);
      open = null;
    }
  }
}
