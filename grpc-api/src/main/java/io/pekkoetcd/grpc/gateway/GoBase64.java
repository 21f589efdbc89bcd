package io.pekkoetcd.grpc.gateway;

import java.nio.charset.StandardCharsets;

/**
 * Go's {@code base64.StdEncoding.DecodeString}, with its exact failure offsets ("illegal base64
 * data at input byte N"), which etcd's gateway answers for a bad key or value. Padding is required,
 * {@code \r} and {@code \n} are skipped, the URL-safe alphabet is refused.
 */
final class GoBase64 {
  private GoBase64() {}

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  static byte[] decode(String text) throws GatewayJson.DecodeException {
    byte[] src = text.getBytes(StandardCharsets.UTF_8);
    byte[] dst = new byte[src.length / 4 * 3 + 3];
    int n = 0;
    int si = 0;
    while (true) {
      int[] dbuf = new int[4];
      int dlen = 4;
      int j = 0;
      boolean end = false;
      for (; j < 4; j++) {
        if (si == src.length) {
          if (j == 0) {
            return java.util.Arrays.copyOf(dst, n);
          }
          throw corrupt(si - j);
        }
        int in = src[si] & 0xff;
        si++;
        int out = ALPHABET.indexOf(in);
        if (out >= 0 && in < 0x80) {
          dbuf[j] = out;
          continue;
        }
        if (in == '\n' || in == '\r') {
          j--;
          continue;
        }
        if (in != '=') {
          throw corrupt(si - 1);
        }
        // padding: the end of the input
        if (j == 0 || j == 1) {
          throw corrupt(si - 1);
        }
        if (j == 2) {
          si = skipNewlines(src, si);
          if (si == src.length) {
            throw corrupt(src.length);
          }
          if (src[si] != '=') {
            throw corrupt(si - 1);
          }
          si++;
        }
        si = skipNewlines(src, si);
        if (si < src.length) {
          throw corrupt(si);
        }
        dlen = j;
        end = true;
        break;
      }
      int val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
      for (int k = 0; k < dlen - 1; k++) {
        dst[n++] = (byte) (val >> (16 - 8 * k));
      }
      if (end) {
        return java.util.Arrays.copyOf(dst, n);
      }
    }
  }

  private static int skipNewlines(byte[] src, int si) {
    while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
      si++;
    }
    return si;
  }

  private static GatewayJson.DecodeException corrupt(int offset) {
    return new GatewayJson.DecodeException("illegal base64 data at input byte " + offset);
  }
}
