package io.pekkoetcd.mvcc;

/**
 * A point in the store's history: {@code main} is the store revision of a write request, {@code
 * sub} the position of the change inside that request (0, 1, 2, … in op order). As etcd's {@code
 * revision.go}.
 *
 * <p>On disk a revision is 16 bytes, {@code main} then {@code sub}, both big-endian, so LevelDB's
 * bytewise order is revision order (both are non-negative).
 */
record Revision(long main, long sub) implements Comparable<Revision> {

  static final int BYTES = 16;

  @Override
  public int compareTo(Revision o) {
    int c = Long.compare(main, o.main);
    return c != 0 ? c : Long.compare(sub, o.sub);
  }

  /** Writes the 16-byte form at {@code off} of {@code out}. */
  void writeTo(byte[] out, int off) {
    putLong(out, off, main);
    putLong(out, off + 8, sub);
  }

  static Revision readFrom(byte[] in, int off) {
    return new Revision(getLong(in, off), getLong(in, off + 8));
  }

  static void putLong(byte[] out, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      out[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] in, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[off + i] & 0xffL);
    }
    return v;
  }

  @Override
  public String toString() {
    return main + "." + sub;
  }
}
