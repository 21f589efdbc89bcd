package io.pekkoetcd.grpc.gateway;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The requests of a stream's body, decoded as its bytes arrive, the way grpc-gateway's stream
 * handlers read a request body with one {@code json.Decoder}: one JSON value after another, a value
 * split across chunks waits for the rest, and the first value that does not decode ends the
 * requests with its failure. A client may so keep a watch's body open and send requests as it goes
 * (HTTP/1.1 chunked bodies, WebSocket messages).
 */
final class GatewayRequests {
  private GatewayRequests() {}

  /** One decoded request, or the failure that ends them. */
  record Decoded(Optional<Message> request, String failure) {
    static Decoded of(Message m) {
      return new Decoded(Optional.of(m), "");
    }

    static Decoded failed(String failure) {
      return new Decoded(Optional.empty(), failure);
    }
  }

  /**
   * The requests in a body's bytes; a request still incomplete beyond {@code maxBytes} fails them.
   */
  static Flow<ByteString, Decoded, NotUsed> decoder(Message prototype, long maxBytes) {
    return Flow.<ByteString>create()
        .map(Optional::of)
        .concat(Source.single(Optional.<ByteString>empty())) // the end of the body
        .statefulMapConcat(
            () -> {
              Framer framer = new Framer(prototype, maxBytes);
              return framer::next;
            })
        .takeWhile(d -> d.request().isPresent(), true);
  }

  /** The bytes not yet decoded; not thread-safe, used by one stream stage. */
  static final class Framer {
    private final Message prototype;
    private final long maxBytes;
    private ByteString buffer = ByteString.emptyByteString();
    private boolean failed;

    Framer(Message prototype, long maxBytes) {
      this.prototype = prototype;
      this.maxBytes = maxBytes;
    }

    /** What {@code chunk} (empty: the end of the body) completes. */
    List<Decoded> next(Optional<ByteString> chunk) {
      List<Decoded> out = new ArrayList<>();
      if (failed) {
        return out;
      }
      boolean ended = chunk.isEmpty();
      buffer = buffer.concat(chunk.orElse(ByteString.emptyByteString()));
      while (true) {
        GoJson json = new GoJson(buffer.toArray());
        GoJson.Read read = json.next();
        if (read instanceof GoJson.End) {
          buffer = ByteString.emptyByteString();
          return out;
        }
        if (read instanceof GoJson.Failed f) {
          if (!ended && f.message().equals("unexpected EOF") && buffer.size() <= maxBytes) {
            return out; // the rest of the value is still to come
          }
          return fail(out, buffer.size() > maxBytes ? "request too large" : f.message());
        }
        Message.Builder builder = prototype.newBuilderForType();
        try {
          GatewayJson.read(((GoJson.Parsed) read).value(), builder);
        } catch (GatewayJson.DecodeException e) {
          return fail(out, e.getMessage());
        }
        out.add(Decoded.of(builder.build()));
        buffer = buffer.drop(json.position());
      }
    }

    private List<Decoded> fail(List<Decoded> out, String failure) {
      failed = true;
      out.add(Decoded.failed(failure));
      return out;
    }
  }
}
