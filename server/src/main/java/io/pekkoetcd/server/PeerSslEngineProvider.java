package io.pekkoetcd.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.pekkoetcd.grpc.tls.TlsContexts;
import io.pekkoetcd.grpc.tls.TlsSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import scala.Option;

/**
 * The peer transport's TLS (Artery {@code tls-tcp}) as etcd's peer flags set it up: this member's
 * key pair from {@code --peer-cert-file}/{@code --peer-key-file}; the other member's certificate
 * verified against {@code --peer-trusted-ca-file}, and, on the connecting side, for the host it
 * dials (Go checks the server name too); a connecting member's certificate required only with
 * {@code --peer-client-cert-auth}. With peer auto TLS nothing can be verified and nothing is.
 *
 * <p>Pekko instantiates this class by name with the classic actor system; its settings travel in
 * the system's configuration under {@value #PATH}, written by {@link #config}.
 */
public final class PeerSslEngineProvider implements SSLEngineProvider {

  static final String PATH = "pekko-etcd.peer-tls";

  private final TlsSettings settings;
  private final SSLContext context;

  public PeerSslEngineProvider(ActorSystem system) {
    Config c = system.settings().config().getConfig(PATH);
    String ca = c.getString("trusted-ca-file");
    this.settings =
        new TlsSettings(
            Path.of(c.getString("cert-file")),
            Path.of(c.getString("key-file")),
            ca.isEmpty() ? Optional.empty() : Optional.of(Path.of(ca)),
            c.getBoolean("client-cert-auth"),
            c.getStringList("cipher-suites"),
            c.getBoolean("trust-all"));
    this.context = TlsContexts.context(settings);
  }

  /**
   * The system configuration that runs the peer transport over TLS with {@code tls}; empty
   * (plaintext Artery TCP) without.
   */
  static Config config(Optional<TlsSettings> tls) {
    if (tls.isEmpty()) {
      return ConfigFactory.empty();
    }
    TlsSettings t = tls.get();
    return ConfigFactory.parseMap(
            Map.of(
                "pekko.remote.artery.transport",
                "tls-tcp",
                "pekko.remote.artery.ssl.ssl-engine-provider",
                PeerSslEngineProvider.class.getName(),
                PATH + ".cert-file",
                t.certFile().toAbsolutePath().toString(),
                PATH + ".key-file",
                t.keyFile().toAbsolutePath().toString(),
                PATH + ".trusted-ca-file",
                t.trustedCaFile().map(p -> p.toAbsolutePath().toString()).orElse(""),
                PATH + ".client-cert-auth",
                t.clientCertAuth(),
                PATH + ".trust-all",
                t.trustAll()))
        .withValue(PATH + ".cipher-suites", ConfigValueFactory.fromIterable(t.cipherSuites()));
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    return TlsContexts.serverEngine(context, settings);
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine engine = TlsContexts.clientEngine(context, settings, hostname, port);
    if (!settings.trustAll()) {
      SSLParameters params = engine.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(params);
    }
    return engine;
  }

  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return Option.empty(); // verified in the handshake
  }

  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return Option.empty(); // verified in the handshake, host name included
  }
}
