package io.pekkoetcd.server;

import io.pekkoetcd.grpc.tls.SelfSignedCert;
import io.pekkoetcd.grpc.tls.TlsSettings;
import io.pekkoetcd.server.config.EtcdConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * One side's {@link TlsSettings} from etcd's flags: the given key pair, CA and {@code
 * --client-cert-auth}; or, with auto TLS and no key pair, a self-signed certificate for the
 * listeners' hosts, which the other side cannot verify and which asks for no client certificate
 * (etcd's {@code transport.SelfCert}).
 */
final class TlsFromFlags {
  private TlsFromFlags() {}

  static TlsSettings settings(
      EtcdConfig.Tls tls, List<String> cipherSuites, Path autoDir, List<URI> listeners) {
    if (!tls.certFile().isEmpty() && !tls.keyFile().isEmpty()) {
      return new TlsSettings(
          Path.of(tls.certFile()),
          Path.of(tls.keyFile()),
          tls.trustedCaFile().isEmpty()
              ? Optional.empty()
              : Optional.of(Path.of(tls.trustedCaFile())),
          tls.clientCertAuth(),
          cipherSuites,
          false);
    }
    List<String> hosts = listeners.stream().map(u -> EtcdConfig.hostPort(u).host()).toList();
    List<Path> generated = SelfSignedCert.ensure(autoDir, hosts, Clock.systemUTC());
    return new TlsSettings(
        generated.get(0), generated.get(1), Optional.empty(), false, cipherSuites, true);
  }
}
