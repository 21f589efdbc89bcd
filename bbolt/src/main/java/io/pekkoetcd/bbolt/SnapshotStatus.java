package io.pekkoetcd.bbolt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What {@code etcdctl snapshot status} reports of an etcd backend file, computed as etcd 3.4 does:
 * a CRC-32C over every top-level bucket's name and then each of its keys and values, the main
 * revision of the last key of bucket {@code key}, the number of keys in all buckets, and bbolt's
 * {@code Tx.Size()}.
 */
public record SnapshotStatus(int hash, long revision, long totalKey, long totalSize) {

  public static SnapshotStatus of(Path file) throws IOException {
    try (BoltReader r = BoltReader.open(file)) {
      CRC32C crc = new CRC32C();
      long[] revision = {0};
      long[] total = {0};
      for (BoltReader.Entry bucket : r.root()) {
        if (!bucket.isBucket()) {
          throw new BoltFormatException(
              "cannot get hash of bucket "
                  + new String(bucket.key(), java.nio.charset.StandardCharsets.UTF_8));
        }
        crc.update(bucket.key());
        boolean isKey = java.util.Arrays.equals(bucket.key(), EtcdLayout.KEY);
        List<BoltReader.Entry> entries = r.entries(bucket.key());
        for (BoltReader.Entry e : entries) {
          crc.update(e.key());
          if (!e.isBucket()) {
            crc.update(e.value());
          }
          if (isKey) {
            revision[0] = EtcdLayout.mainOf(e.key());
          }
          total[0]++;
        }
      }
      return new SnapshotStatus((int) crc.getValue(), revision[0], total[0], r.size());
    }
  }

  /** etcdctl's {@code -w json}. */
  public String json() {
    return "{\"hash\":"
        + Integer.toUnsignedLong(hash)
        + ",\"revision\":"
        + revision
        + ",\"totalKey\":"
        + totalKey
        + ",\"totalSize\":"
        + totalSize
        + "}";
  }

  /** etcdctl's default ({@code -w simple}): {@code hash, revision, total keys, size}. */
  public String simple() {
    return Integer.toHexString(hash)
        + ", "
        + revision
        + ", "
        + totalKey
        + ", "
        + humanBytes(totalSize);
  }

  /** etcdctl's {@code -w table}. */
  public String table() {
    String[] header = {"HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"};
    String[] row = {
      Integer.toHexString(hash),
      Long.toString(revision),
      Long.toString(totalKey),
      humanBytes(totalSize)
    };
    StringBuilder line = new StringBuilder("+");
    StringBuilder head = new StringBuilder("|");
    StringBuilder body = new StringBuilder("|");
    for (int i = 0; i < header.length; i++) {
      int w = Math.max(header[i].length(), row[i].length()) + 2;
      line.append("-".repeat(w)).append('+');
      int pad = w - header[i].length();
      head.append(" ".repeat(pad / 2))
          .append(header[i])
          .append(" ".repeat(pad - pad / 2))
          .append('|');
      body.append(" ".repeat(w - 1 - row[i].length())).append(row[i]).append(" |");
    }
    return line + "\n" + head + "\n" + line + "\n" + body + "\n" + line + "\n";
  }

  /** go-humanize's {@code Bytes}: SI units, one decimal below 10. */
  static String humanBytes(long n) {
    if (n < 10) {
      return n + " B";
    }
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    int e = (int) Math.floor(Math.log(n) / Math.log(1000));
    double v = Math.floor(n / Math.pow(1000, e) * 10 + 0.5) / 10;
    // Go's %.0f / %.1f round half to even
    return new java.math.BigDecimal(v)
            .setScale(v < 10 ? 1 : 0, java.math.RoundingMode.HALF_EVEN)
            .toPlainString()
        + " "
        + units[e];
  }
}
