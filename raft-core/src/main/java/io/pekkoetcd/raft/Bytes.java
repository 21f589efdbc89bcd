package io.pekkoetcd.raft;

import java.nio.charset.StandardCharsets;

/** Small helpers for opaque byte payloads (read-index contexts, entry data). */
final class Bytes {

  private Bytes() {}

  /** A map key with content equality: the ISO-8859-1 string is a bijection with the byte array. */
  static String key(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Printable rendering for logs and scripts: UTF-8 when it is plain ASCII, else hex. */
  static String printable(byte[] bytes) {
    if (bytes.length == 0) {
      return "<empty>";
    }
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7e) {
        return "0x" + java.util.HexFormat.of().formatHex(bytes);
      }
    }
    return "\"" + new String(bytes, StandardCharsets.US_ASCII) + "\"";
  }
}
