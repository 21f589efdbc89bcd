package io.pekkoetcd.grpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * Rewrites an HTTP/2 {@code :authority} that carries a scheme ({@code http://127.0.0.1:2379}, which
 * etcdctl 3.4 sends for maintenance calls when endpoints are written with a scheme) to {@code
 * host:port}, in the bytes a client sends, before pekko-http parses them. pekko-http 1.3.0 rejects
 * such an authority and tears the connection down; see docs/authority-fix.md for the analysis and
 * the alternatives.
 *
 * <p>Contract: one instance per connection, client-to-server direction only, used from one thread
 * (a stream stage). {@link #process} returns the bytes to forward for the bytes received;
 * concatenated, they form a valid HTTP/2 stream equivalent to the input except for the rewritten
 * authorities.
 *
 * <ul>
 *   <li>Not HTTP/2 with prior knowledge (HTTP/1.1, h2c upgrade): everything passes through
 *       untouched.
 *   <li>Frames other than header blocks stream through without buffering.
 *   <li>Every header block (HEADERS + CONTINUATION) is HPACK-decoded, keeping a mirror of the
 *       client's dynamic table; while nothing needed rewriting, the original bytes are forwarded,
 *       so pekko-http's table stays equal to the client's.
 *   <li>The first block with a scheme in {@code :authority} switches the connection to re-encoding:
 *       that block begins with two table-size updates (to 0, then back to 4096) that empty
 *       pekko-http's table, and from then on every block is encoded by this rewriter's own encoder,
 *       whose table is then exactly pekko-http's.
 *   <li>Undecodable input before a rewrite: pass the rest through and let pekko-http reject it.
 *       After a rewrite the connection fails (the tables could no longer agree).
 * </ul>
 */
final class SchemeAuthorityRewriter {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int FRAME_HEADER = 9;
  private static final int TYPE_HEADERS = 0x1;
  private static final int TYPE_CONTINUATION = 0x9;
  private static final int FLAG_END_STREAM = 0x1;
  private static final int FLAG_END_HEADERS = 0x4;
  private static final int FLAG_PADDED = 0x8;
  private static final int FLAG_PRIORITY = 0x20;

  /** pekko-http's SETTINGS_MAX_FRAME_SIZE: the protocol default, which it never raises. */
  private static final int MAX_FRAME = 16384;

  /** HPACK dynamic table size update to 0, then to 4096 (RFC 7541 §6.3). */
  private static final byte[] TABLE_RESET = {0x20, 0x3f, (byte) 0xe1, 0x1f};

  private enum Mode {
    AWAITING_PREFACE,
    HTTP2,
    PASS_THROUGH
  }

  private Mode mode = Mode.AWAITING_PREFACE;
  private ByteString pending = ByteString.emptyByteString();

  /** Bytes of a non-header frame's payload still to stream through. */
  private long payloadToSkip;

  private boolean inBlock;
  private int blockStream;
  private int blockFlags;
  private byte[] blockPriority;
  private final ByteStringBuilder blockRaw = new ByteStringBuilder();
  private final ByteStringBuilder blockFragment = new ByteStringBuilder();

  private DefaultHttp2HeadersDecoder decoder;
  private DefaultHttp2HeadersEncoder encoder;
  private long rewrites;

  /** How many authorities this connection had rewritten. */
  long rewrites() {
    return rewrites;
  }

  ByteString process(ByteString in) {
    if (mode == Mode.PASS_THROUGH) {
      return in;
    }
    pending = pending.concat(in);
    ByteStringBuilder out = new ByteStringBuilder();
    if (mode == Mode.AWAITING_PREFACE) {
      int n = Math.min(pending.length(), PREFACE.length);
      for (int i = 0; i < n; i++) {
        if (pending.apply(i) != PREFACE[i]) {
          return passThroughFromNow(out);
        }
      }
      if (pending.length() < PREFACE.length) {
        return ByteString.emptyByteString();
      }
      mode = Mode.HTTP2;
      decoder = new DefaultHttp2HeadersDecoder(false, 0xFFFFFFFFL);
      out.append(pending.take(PREFACE.length));
      pending = pending.drop(PREFACE.length);
    }
    try {
      drainFrames(out);
    } catch (Exception e) {
      if (encoder != null) {
        throw new IllegalStateException(
            "HTTP/2 authority rewriter lost track of the header tables", e);
      }
      if (inBlock) {
        out.append(blockRaw.result());
      }
      return passThroughFromNow(out);
    }
    return out.result();
  }

  private ByteString passThroughFromNow(ByteStringBuilder out) {
    mode = Mode.PASS_THROUGH;
    out.append(pending);
    pending = ByteString.emptyByteString();
    return out.result();
  }

  private void drainFrames(ByteStringBuilder out) throws Exception {
    while (true) {
      if (payloadToSkip > 0) {
        int n = (int) Math.min(payloadToSkip, pending.length());
        if (n == 0) {
          return;
        }
        out.append(pending.take(n));
        pending = pending.drop(n);
        payloadToSkip -= n;
        continue;
      }
      if (pending.length() < FRAME_HEADER) {
        return;
      }
      int length =
          ((pending.apply(0) & 0xff) << 16)
              | ((pending.apply(1) & 0xff) << 8)
              | (pending.apply(2) & 0xff);
      int type = pending.apply(3) & 0xff;
      boolean headerBlock = type == TYPE_HEADERS || (type == TYPE_CONTINUATION && inBlock);
      if (!headerBlock) {
        if (inBlock) {
          throw new IllegalStateException("frame inside a header block");
        }
        out.append(pending.take(FRAME_HEADER));
        pending = pending.drop(FRAME_HEADER);
        payloadToSkip = length;
        continue;
      }
      if (pending.length() < FRAME_HEADER + length) {
        return;
      }
      ByteString frame = pending.take(FRAME_HEADER + length);
      pending = pending.drop(FRAME_HEADER + length);
      collectHeaderFrame(frame, type, out);
    }
  }

  private void collectHeaderFrame(ByteString frame, int type, ByteStringBuilder out)
      throws Exception {
    int flags = frame.apply(4) & 0xff;
    int stream = frame.iterator().drop(5).getInt(ByteOrder.BIG_ENDIAN) & 0x7fffffff;
    ByteString payload = frame.drop(FRAME_HEADER);
    if (type == TYPE_HEADERS) {
      if (inBlock) {
        throw new IllegalStateException("HEADERS inside a header block");
      }
      int padding = 0;
      if ((flags & FLAG_PADDED) != 0) {
        padding = payload.apply(0) & 0xff;
        payload = payload.drop(1);
      }
      blockPriority = null;
      if ((flags & FLAG_PRIORITY) != 0) {
        blockPriority = payload.take(5).toArray();
        payload = payload.drop(5);
      }
      payload = payload.dropRight(padding);
      inBlock = true;
      blockStream = stream;
      blockFlags = flags;
      blockRaw.clear();
      blockFragment.clear();
    } else if (stream != blockStream) {
      throw new IllegalStateException("CONTINUATION of another stream");
    }
    blockRaw.append(frame);
    blockFragment.append(payload);
    if ((flags & FLAG_END_HEADERS) != 0) {
      inBlock = false;
      finishBlock(out);
    }
  }

  private void finishBlock(ByteStringBuilder out) throws Exception {
    ByteString fragment = blockFragment.result();
    Http2Headers headers =
        decoder.decodeHeaders(blockStream, Unpooled.wrappedBuffer(fragment.toArrayUnsafe()));
    CharSequence authority = headers.authority();
    String fixed = authority == null ? null : withoutScheme(authority.toString());
    if (fixed != null) {
      headers.authority(fixed);
      rewrites++;
    }
    if (encoder == null && fixed == null) {
      out.append(blockRaw.result());
      return;
    }
    ByteBuf block = Unpooled.buffer(fragment.length() + 16);
    if (encoder == null) {
      encoder = new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
      block.writeBytes(TABLE_RESET);
    }
    encoder.encodeHeaders(blockStream, headers, block);
    byte[] bytes = new byte[block.readableBytes()];
    block.readBytes(bytes);
    writeHeaderFrames(out, bytes);
  }

  private void writeHeaderFrames(ByteStringBuilder out, byte[] block) {
    int priority = blockPriority == null ? 0 : 5;
    int first = Math.min(block.length, MAX_FRAME - priority);
    int flags =
        (blockFlags & FLAG_END_STREAM)
            | (priority > 0 ? FLAG_PRIORITY : 0)
            | (first == block.length ? FLAG_END_HEADERS : 0);
    frameHeader(out, first + priority, TYPE_HEADERS, flags, blockStream);
    if (priority > 0) {
      out.putBytes(blockPriority);
    }
    out.putBytes(block, 0, first);
    for (int pos = first; pos < block.length; ) {
      int n = Math.min(MAX_FRAME, block.length - pos);
      frameHeader(
          out, n, TYPE_CONTINUATION, pos + n == block.length ? FLAG_END_HEADERS : 0, blockStream);
      out.putBytes(block, pos, n);
      pos += n;
    }
  }

  private static void frameHeader(
      ByteStringBuilder out, int length, int type, int flags, int stream) {
    out.putByte((byte) (length >>> 16))
        .putByte((byte) (length >>> 8))
        .putByte((byte) length)
        .putByte((byte) type)
        .putByte((byte) flags)
        .putInt(stream, ByteOrder.BIG_ENDIAN);
  }

  /**
   * {@code http://host:port[/...]} → {@code host:port}; {@code null} when there is no scheme to
   * strip.
   */
  static String withoutScheme(String authority) {
    int sep = authority.indexOf("://");
    if (sep <= 0) {
      return null;
    }
    for (int i = 0; i < sep; i++) {
      char c = authority.charAt(i);
      boolean schemeChar =
          c < 128
              && (Character.isLetter(c)
                  || (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.')));
      if (!schemeChar) {
        return null;
      }
    }
    String rest = authority.substring(sep + 3);
    int slash = rest.indexOf('/');
    return slash >= 0 ? rest.substring(0, slash) : rest;
  }
}
