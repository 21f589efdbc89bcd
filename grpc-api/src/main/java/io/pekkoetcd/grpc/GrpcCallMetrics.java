package io.pekkoetcd.grpc;

import com.google.protobuf.Descriptors;
import io.grpc.Status;
import io.pekkoetcd.actors.metrics.MemberMetrics;
import io.pekkoetcd.protocol.etcdserverpb.Rpc;
import io.pekkoetcd.protocol.v3electionpb.V3Election;
import io.pekkoetcd.protocol.v3lockpb.V3Lock;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.Trailer;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * etcd's gRPC server metrics (go-grpc-prometheus): {@code grpc_server_started_total} when a call
 * arrives, {@code grpc_server_handled_total} with its status code (grpc-go's names: {@code OK},
 * {@code Unavailable}, {@code DeadlineExceeded}, ...) when it ends, and the messages received and
 * sent; labelled by {@code grpc_type} (from the service's protobuf descriptor), {@code
 * grpc_service}, {@code grpc_method}.
 *
 * <p>Where the code is read: a unary answer carries it in its trailer attribute (pekko-grpc's
 * single-element response) or, for an error, in its headers (trailers-only); a streaming answer in
 * the trailer of its last chunk. A stream that ends without one was cancelled ({@code Canceled}).
 * Messages received are counted for unary and server-streaming calls (one request); requests of
 * client streams are not counted (a gap, see docs/observability.md).
 */
final class GrpcCallMetrics {
  private static final String[] CODE_NAMES = codeNames();

  /** The series of one method, bound once. */
  static final class Method {
    private final boolean clientStreaming;
    private final CounterDataPoint started;
    private final CounterDataPoint received;
    private final CounterDataPoint sent;
    private final CounterDataPoint[] handled = new CounterDataPoint[CODE_NAMES.length];
    private final MemberMetrics metrics;
    private final String[] labels;

    Method(MemberMetrics metrics, String type, String service, String method, boolean client) {
      this.metrics = metrics;
      this.labels = new String[] {type, service, method};
      this.clientStreaming = client;
      this.started = metrics.grpcStarted.labelValues(labels);
      this.received = metrics.grpcMsgReceived.labelValues(labels);
      this.sent = metrics.grpcMsgSent.labelValues(labels);
    }

    private void handled(int code) {
      int c = code >= 0 && code < CODE_NAMES.length ? code : Status.Code.UNKNOWN.value();
      CounterDataPoint h = handled[c];
      if (h == null) {
        h = metrics.grpcHandled.labelValues(labels[0], labels[1], labels[2], CODE_NAMES[c]);
        handled[c] = h;
      }
      h.inc();
    }
  }

  private final Map<String, Map<String, Method>> methods = new HashMap<>();

  GrpcCallMetrics(MemberMetrics metrics) {
    for (Descriptors.FileDescriptor file :
        List.of(Rpc.getDescriptor(), V3Lock.getDescriptor(), V3Election.getDescriptor())) {
      for (Descriptors.ServiceDescriptor s : file.getServices()) {
        Map<String, Method> byName = new HashMap<>();
        for (Descriptors.MethodDescriptor m : s.getMethods()) {
          byName.put(
              m.getName(),
              new Method(
                  metrics,
                  type(m.isClientStreaming(), m.isServerStreaming()),
                  s.getFullName(),
                  m.getName(),
                  m.isClientStreaming()));
        }
        methods.put(s.getFullName(), byName);
      }
    }
  }

  /** The method's series, or empty for a method no service declares. */
  Optional<Method> method(String service, String method) {
    Map<String, Method> byName = methods.get(service);
    return Optional.ofNullable(byName == null ? null : byName.get(method));
  }

  /** Count the call as started and, once {@code response} tells its code, as handled. */
  CompletionStage<HttpResponse> observe(Method m, CompletionStage<HttpResponse> response) {
    m.started.inc();
    if (!m.clientStreaming) {
      m.received.inc();
    }
    return response.handle(
        (r, e) -> {
          if (e != null) {
            m.handled(Status.Code.UNKNOWN.value());
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
          }
          return observed(m, r);
        });
  }

  private static HttpResponse observed(Method m, HttpResponse r) {
    Optional<HttpHeader> status = r.getHeader("grpc-status");
    if (status.isPresent()) { // trailers-only: an error, no message
      m.handled(code(status.get().value()));
      return r;
    }
    Optional<org.apache.pekko.http.javadsl.model.Trailer> trailer =
        r.getAttribute(AttributeKeys.trailer);
    if (trailer.isPresent()) { // a single message and its trailer
      m.sent.inc();
      m.handled(code(trailer.get()));
      return r;
    }
    if (r.entity() instanceof HttpEntity.Chunked chunked) {
      AtomicBoolean ended = new AtomicBoolean();
      return r.withEntity(
          new org.apache.pekko.http.scaladsl.model.HttpEntity.Chunked(
              (org.apache.pekko.http.scaladsl.model.ContentType) chunked.getContentType(),
              chunked
                  .getChunks()
                  .map(
                      part -> {
                        if (part.isLastChunk()) {
                          ended.set(true);
                          m.handled(code(part.getTrailerHeaders()));
                        } else {
                          m.sent.inc();
                        }
                        return (org.apache.pekko.http.scaladsl.model.HttpEntity.ChunkStreamPart)
                            part;
                      })
                  .watchTermination(
                      (mat, done) -> {
                        done.whenComplete(
                            (d, err) -> {
                              if (!ended.get()) {
                                m.handled(Status.Code.CANCELLED.value());
                              }
                            });
                        return mat;
                      })
                  .asScala()));
    }
    m.handled(Status.Code.UNKNOWN.value());
    return r;
  }

  private static int code(org.apache.pekko.http.javadsl.model.Trailer trailer) {
    for (Tuple2<String, String> h : CollectionConverters.asJava(((Trailer) trailer).headers())) {
      if (h._1().equalsIgnoreCase("grpc-status")) {
        return code(h._2());
      }
    }
    return Status.Code.UNKNOWN.value();
  }

  private static int code(Iterable<HttpHeader> headers) {
    for (HttpHeader h : headers) {
      if (h.is("grpc-status")) {
        return code(h.value());
      }
    }
    return Status.Code.UNKNOWN.value();
  }

  private static int code(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return Status.Code.UNKNOWN.value();
    }
  }

  private static String type(boolean clientStreaming, boolean serverStreaming) {
    if (clientStreaming && serverStreaming) {
      return "bidi_stream";
    }
    if (clientStreaming) {
      return "client_stream";
    }
    return serverStreaming ? "server_stream" : "unary";
  }

  /** grpc-go's names of the status codes: {@code DEADLINE_EXCEEDED} → {@code DeadlineExceeded}. */
  private static String[] codeNames() {
    Status.Code[] codes = Status.Code.values();
    String[] names = new String[codes.length];
    for (Status.Code c : codes) {
      if (c == Status.Code.OK || c == Status.Code.CANCELLED) {
        names[c.value()] = c == Status.Code.OK ? "OK" : "Canceled";
        continue;
      }
      StringBuilder b = new StringBuilder();
      for (String word : c.name().split("_")) {
        b.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
      }
      names[c.value()] = b.toString();
    }
    return names;
  }
}
