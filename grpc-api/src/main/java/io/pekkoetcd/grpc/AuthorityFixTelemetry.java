package io.pekkoetcd.grpc;

import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.impl.engine.http2.TelemetrySpi;
import org.apache.pekko.http.scaladsl.model.HttpRequest;
import org.apache.pekko.http.scaladsl.model.HttpResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.scaladsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@link SchemeAuthorityRewriter} in front of every connection the client port accepts.
 * pekko-http's HTTP/2 server instantiates it from {@code pekko.http.http2-telemetry-class}
 * (grpc-api's reference.conf) with the classic actor system as the only argument, and runs {@link
 * #serverBinding()} over every incoming TCP connection before choosing between HTTP/1.1 and HTTP/2.
 * {@code TelemetrySpi} is marked {@code @InternalStableApi}: check it on every pekko-http upgrade
 * (docs/authority-fix.md).
 *
 * <p>pekko-http swallows a failure to load this class (it logs at DEBUG), so the constructor logs
 * at INFO and a test sends a scheme authority as raw bytes.
 */
public final class AuthorityFixTelemetry implements TelemetrySpi {

  public AuthorityFixTelemetry(ActorSystem system) {
    LoggerFactory.getLogger(AuthorityFixTelemetry.class)
        .info("HTTP/2 :authority scheme rewriting is on for the client port");
  }

  static Flow<ByteString, ByteString, NotUsed> rewriter() {
    return Flow.<ByteString>create()
        .statefulMap(
            SchemeAuthorityRewriter::new,
            (r, bytes) -> Pair.create(r, r.process(bytes)),
            r -> Optional.empty())
        .filter(b -> !b.isEmpty());
  }

  @Override
  public org.apache.pekko.stream.scaladsl.Flow<
          Tcp.IncomingConnection, Tcp.IncomingConnection, NotUsed>
      serverBinding() {
    return Flow.<Tcp.IncomingConnection>create()
        .map(
            c ->
                new Tcp.IncomingConnection(
                    c.localAddress(),
                    c.remoteAddress(),
                    Flow.fromGraph(c.flow()).via(rewriter()).asScala()))
        .asScala();
  }

  @Override
  public org.apache.pekko.stream.scaladsl.BidiFlow<
          HttpRequest, HttpRequest, HttpResponse, HttpResponse, NotUsed>
      client() {
    return BidiFlow.<HttpRequest, HttpResponse>identity().asScala();
  }

  @Override
  public org.apache.pekko.stream.scaladsl.BidiFlow<
          HttpResponse, HttpResponse, HttpRequest, HttpRequest, NotUsed>
      serverConnection() {
    return BidiFlow.<HttpResponse, HttpRequest>identity().asScala();
  }
}
