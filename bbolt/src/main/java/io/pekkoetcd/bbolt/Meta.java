package io.pekkoetcd.bbolt;

/**
 * bbolt's meta page content (at offset 16 of pages 0 and 1): the two copies let a writer switch
 * atomically; a reader takes the valid one with the higher transaction id.
 *
 * <pre>
 *   magic u32 (0xED0CDAED), version u32 (2), pageSize u32, flags u32,
 *   root bucket: root pgid u64, sequence u64, freelist pgid u64, high-water pgid u64, txid u64,
 *   checksum u64 (64-bit FNV-1a of the 56 bytes before it)
 * </pre>
 *
 * @param highWater the first page id past the end of the data (the file holds {@code highWater}
 *     pages)
 */
record Meta(int pageSize, long root, long sequence, long freelist, long highWater, long txid) {

  static final int MAGIC = 0xED0CDAED;
  static final int VERSION = 2;
  static final int SIZE = 64;
  private static final int CHECKSUMMED = 56;

  /** The meta at {@code off} of {@code b}, or null if its magic, version or checksum is wrong. */
  static Meta decode(byte[] b, int off) {
    if (b.length < off + SIZE
        || Page.u32(b, off) != MAGIC
        || Page.u32(b, off + 4) != VERSION
        || Page.u64(b, off + CHECKSUMMED) != fnv1a64(b, off, CHECKSUMMED)) {
      return null;
    }
    return new Meta(
        Page.u32(b, off + 8),
        Page.u64(b, off + 16),
        Page.u64(b, off + 24),
        Page.u64(b, off + 32),
        Page.u64(b, off + 40),
        Page.u64(b, off + 48));
  }

  /** Writes this meta (with its checksum) at {@code off} of {@code b}. */
  void encode(byte[] b, int off) {
    Page.putU32(b, off, MAGIC);
    Page.putU32(b, off + 4, VERSION);
    Page.putU32(b, off + 8, pageSize);
    Page.putU32(b, off + 12, 0);
    Page.putU64(b, off + 16, root);
    Page.putU64(b, off + 24, sequence);
    Page.putU64(b, off + 32, freelist);
    Page.putU64(b, off + 40, highWater);
    Page.putU64(b, off + 48, txid);
    Page.putU64(b, off + CHECKSUMMED, fnv1a64(b, off, CHECKSUMMED));
  }

  static long fnv1a64(byte[] b, int off, int len) {
    long h = 0xcbf29ce484222325L;
    for (int i = off; i < off + len; i++) {
      h ^= b[i] & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
