package io.pekkoetcd.mvcc;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the records of an {@link MvccExport} stream one at a time: the magic, then LevelDB's pairs
 * in key order until the end marker. {@link #next()} moves to the next pair; {@link #key()} and
 * {@link #value()} are that pair's bytes (fresh arrays, the caller's to keep). Does not close the
 * stream.
 */
final class ExportRecords {
  private final DataInputStream in;
  private byte[] key;
  private byte[] value;

  private ExportRecords(DataInputStream in) {
    this.in = in;
  }

  /** Reads the magic of {@code export}; fails if the stream is not an export. */
  static ExportRecords open(InputStream export) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(export, 64 * 1024));
    if (!Arrays.equals(in.readNBytes(MvccExport.MAGIC.length), MvccExport.MAGIC)) {
      throw new IOException("not an MVCC export stream");
    }
    return new ExportRecords(in);
  }

  /** Moves to the next pair; false at the end marker. */
  boolean next() throws IOException {
    int keyLength = in.readInt();
    if (keyLength == MvccExport.END) {
      key = null;
      value = null;
      return false;
    }
    key = in.readNBytes(keyLength);
    value = in.readNBytes(in.readInt());
    return true;
  }

  byte[] key() {
    return key;
  }

  byte[] value() {
    return value;
  }
}
