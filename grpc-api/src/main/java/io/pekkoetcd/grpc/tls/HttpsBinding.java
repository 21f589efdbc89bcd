package io.pekkoetcd.grpc.tls;

import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * Where the client port binds: plaintext, or HTTPS with {@link TlsSettings} (the context built now,
 * so that a bad file fails the start) and pekko-http's {@code ssl-session} request attribute on,
 * which {@link CertCnHeader} reads. With {@code pekko.http.server.enable-http2 = on} (the client
 * port's configuration) pekko-http offers {@code h2} and {@code http/1.1} by ALPN on HTTPS.
 */
public final class HttpsBinding {
  private HttpsBinding() {}

  /**
   * @throws IllegalArgumentException if a TLS file cannot be read
   */
  public static ServerBuilder serverAt(
      ActorSystem<?> system, String host, int port, Optional<TlsSettings> tls) {
    ServerBuilder server = Http.get(system).newServerAt(host, port);
    if (tls.isEmpty()) {
      return server;
    }
    TlsSettings settings = tls.get();
    SSLContext context = TlsContexts.context(settings);
    ServerSettings withSession = ServerSettings.create(system.classicSystem());
    withSession =
        withSession.withParserSettings(
            withSession.getParserSettings().withIncludeSslSessionAttribute(true));
    return server
        .enableHttps(
            ConnectionContext.httpsServer(() -> TlsContexts.serverEngine(context, settings)))
        .withSettings(withSession);
  }
}
