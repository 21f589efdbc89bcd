package io.pekkoetcd.bbolt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * etcd's snapshot file = the bbolt database followed by the SHA-256 of the database (32 bytes).
 * etcd's restore recognises the trailer by the file size: a database is whole pages, so {@code size
 * % 512 == 32} means a trailer is there (a file copied from a data dir has none).
 */
public final class SnapshotTrailer {
  private SnapshotTrailer() {}

  public static final int SHA256_BYTES = 32;

  /** Whether {@code file}'s size says it ends with etcd's SHA-256 trailer. */
  public static boolean hasTrailer(Path file) throws IOException {
    return Files.size(file) % 512 == SHA256_BYTES;
  }

  /**
   * Checks the trailer of {@code file} against its database bytes; throws with etcd's message
   * ("expected sha256 ..., got ...") on a mismatch. A file without a trailer passes.
   */
  public static void verify(Path file) throws IOException {
    if (!hasTrailer(file)) {
      return;
    }
    long dbSize = Files.size(file) - SHA256_BYTES;
    MessageDigest sha = sha256();
    byte[] trailer;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      long left = dbSize;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new BoltFormatException("snapshot file ends early");
        }
        sha.update(buf, 0, n);
        left -= n;
      }
      trailer = in.readNBytes(SHA256_BYTES);
    }
    byte[] got = sha.digest();
    if (!Arrays.equals(got, trailer)) {
      throw new BoltFormatException(
          "expected sha256 " + Arrays.toString(trailer) + ", got " + Arrays.toString(got));
    }
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has SHA-256", e);
    }
  }
}
