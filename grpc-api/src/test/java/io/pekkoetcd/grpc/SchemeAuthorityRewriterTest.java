package io.pekkoetcd.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The rewriter over a client byte stream as grpc-go writes it: one HPACK encoder for the
 * connection, header blocks that refer to earlier ones through the dynamic table, DATA frames in
 * between, arbitrary TCP chunking. A fresh decoder reading the output (as pekko-http does) must see
 * every header exactly as sent, except the authorities.
 */
class SchemeAuthorityRewriterTest {
  static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  record Frame(int type, int flags, int stream, byte[] payload) {}

  static Http2Headers request(String authority, int i) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/etcdserverpb.Maintenance/Status")
        .authority(authority)
        .add("content-type", "application/grpc")
        .add("te", "trailers")
        .add("grpc-timeout", (1000 + i) + "u")
        .add("x-request", "r" + i);
  }

  static byte[] encode(DefaultHttp2HeadersEncoder enc, Http2Headers h) throws Exception {
    ByteBuf buf = Unpooled.buffer();
    enc.encodeHeaders(1, h, buf);
    byte[] b = new byte[buf.readableBytes()];
    buf.readBytes(b);
    return b;
  }

  static void frame(ByteBuffer out, int type, int flags, int stream, byte[] payload) {
    out.put((byte) (payload.length >>> 16))
        .put((byte) (payload.length >>> 8))
        .put((byte) payload.length);
    out.put((byte) type).put((byte) flags).putInt(stream).put(payload);
  }

  static List<Frame> parse(byte[] bytes) {
    List<Frame> frames = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte[] preface = new byte[PREFACE.length];
    in.get(preface);
    assertThat(preface).isEqualTo(PREFACE);
    while (in.hasRemaining()) {
      int len = ((in.get() & 0xff) << 16) | ((in.get() & 0xff) << 8) | (in.get() & 0xff);
      int type = in.get() & 0xff;
      int flags = in.get() & 0xff;
      int stream = in.getInt();
      byte[] payload = new byte[len];
      in.get(payload);
      frames.add(new Frame(type, flags, stream, payload));
    }
    return frames;
  }

  @Test
  void schemeAuthoritiesAreStrippedAndTablesStayInStep() throws Exception {
    DefaultHttp2HeadersEncoder client =
        new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, false);
    ByteBuffer stream = ByteBuffer.allocate(1 << 20);
    stream.put(PREFACE);
    frame(stream, 0x4, 0, 0, new byte[0]); // SETTINGS
    List<Http2Headers> sent = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      // The first 20 requests carry a plain authority, then etcdctl-style ones with a scheme.
      Http2Headers h = request(i < 20 ? "127.0.0.1:2379" : "http://127.0.0.1:2379", i);
      sent.add(h);
      frame(stream, 0x1, 0x4, 2 * i + 1, encode(client, h));
      frame(stream, 0x0, 0x1, 2 * i + 1, ("payload-" + i).getBytes(StandardCharsets.UTF_8));
    }
    byte[] input = new byte[stream.position()];
    stream.flip().get(input);

    // Feed it in random TCP-sized chunks.
    Random random = new Random(42);
    SchemeAuthorityRewriter rewriter = new SchemeAuthorityRewriter();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int pos = 0; pos < input.length; ) {
      int n = Math.min(input.length - pos, 1 + random.nextInt(700));
      out.write(rewriter.process(ByteString.fromArray(input, pos, n)).toArray());
      pos += n;
    }
    assertThat(rewriter.rewrites()).isEqualTo(40);

    DefaultHttp2HeadersDecoder server = new DefaultHttp2HeadersDecoder(true, 0xFFFFFFFFL);
    int request = 0;
    for (Frame f : parse(out.toByteArray())) {
      if (f.type() == 0x1) {
        Http2Headers got = server.decodeHeaders(f.stream(), Unpooled.wrappedBuffer(f.payload()));
        Http2Headers expected = sent.get(request);
        assertThat(got.authority().toString()).isEqualTo("127.0.0.1:2379");
        assertThat(got.path().toString()).isEqualTo(expected.path().toString());
        assertThat(got.get("grpc-timeout").toString())
            .isEqualTo(expected.get("grpc-timeout").toString());
        assertThat(got.get("x-request").toString()).isEqualTo("r" + request);
        assertThat(got.size()).isEqualTo(expected.size());
        assertThat(f.flags() & 0x4).isEqualTo(0x4);
        request++;
      } else if (f.type() == 0x0) {
        assertThat(new String(f.payload(), StandardCharsets.UTF_8))
            .isEqualTo("payload-" + (request - 1));
      }
    }
    assertThat(request).isEqualTo(60);
  }

  @Test
  void http1IsPassedThroughUntouched() {
    SchemeAuthorityRewriter rewriter = new SchemeAuthorityRewriter();
    ByteString request = ByteString.fromString("GET /health HTTP/1.1\r\nHost: http://x:1\r\n\r\n");
    assertThat(rewriter.process(request.take(5)).concat(rewriter.process(request.drop(5))))
        .isEqualTo(request);
    assertThat(rewriter.rewrites()).isZero();
  }

  @Test
  void withoutScheme() {
    assertThat(SchemeAuthorityRewriter.withoutScheme("http://127.0.0.1:2379"))
        .isEqualTo("127.0.0.1:2379");
    assertThat(SchemeAuthorityRewriter.withoutScheme("https://h:1/x")).isEqualTo("h:1");
    assertThat(SchemeAuthorityRewriter.withoutScheme("127.0.0.1:2379")).isNull();
    assertThat(SchemeAuthorityRewriter.withoutScheme("://x")).isNull();
  }
}
