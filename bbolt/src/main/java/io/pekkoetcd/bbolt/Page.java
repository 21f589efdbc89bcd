package io.pekkoetcd.bbolt;

/**
 * bbolt's on-disk page layout (all integers little-endian, as bbolt writes them on x86 and ARM).
 *
 * <pre>
 *   page header (16 bytes): id u64, flags u16, count u16, overflow u32
 *   branch element (16):    pos u32, ksize u32, pgid u64       (key at element + pos)
 *   leaf element (16):      flags u32, pos u32, ksize u32, vsize u32 (key at element + pos, value after it)
 *   bucket value (16+):     root pgid u64, sequence u64; root 0 = inline: a leaf page follows in the value
 *   freelist page:          count free page ids u64 (count 0xFFFF: the real count is the first u64)
 * </pre>
 *
 * A page spans {@code overflow + 1} consecutive pages of the file. A branch element's key is the
 * first key of its child.
 */
final class Page {
  private Page() {}

  static final int HEADER = 16;
  static final int ELEMENT = 16;

  static final int BRANCH = 0x01;
  static final int LEAF = 0x02;
  static final int META = 0x04;
  static final int FREELIST = 0x10;

  /** A leaf element's flag for a nested bucket (its value is a bucket header). */
  static final int BUCKET_LEAF_FLAG = 0x01;

  /** The size of a bucket header in its parent's leaf value. */
  static final int BUCKET_HEADER = 16;

  /** bbolt's marker for "no freelist was written" (NoFreelistSync). */
  static final long NO_FREELIST = 0xFFFFFFFFFFFFFFFFL;

  static long u64(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  static int u32(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  static int u16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  static void putU64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  static void putU32(byte[] b, int off, int v) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  static void putU16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }

  /** Writes a page header at the start of {@code b}. */
  static void putHeader(byte[] b, long id, int flags, int count, int overflow) {
    putU64(b, 0, id);
    putU16(b, 8, flags);
    putU16(b, 10, count);
    putU32(b, 12, overflow);
  }
}
