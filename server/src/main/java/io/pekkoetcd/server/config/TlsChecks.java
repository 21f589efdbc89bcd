package io.pekkoetcd.server.config;

import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * etcd 3.4's checks of the TLS settings against the URLs, with its wording and order (peer
 * listeners first, as etcd starts them first): an {@code https://} listener needs a certificate and
 * key (or auto TLS); TLS settings given for {@code http://} listeners are ignored with a warning;
 * every {@code --cipher-suites} name must be a known suite. Files are not opened here: a missing or
 * unreadable file fails the start, as in etcd.
 */
final class TlsChecks {

  private TlsChecks() {}

  static void check(EtcdConfig config, List<String> warnings) throws ConfigException {
    EtcdConfig.Tls peer = config.peerTls();
    boolean peerKeyPair = !peer.certFile().isEmpty() && !peer.keyFile().isEmpty();
    for (URI url : config.listenPeerUrls()) {
      if (EtcdConfig.isTls(url) && !peerKeyPair && !peer.autoTls()) {
        throw new ConfigException(
            "cannot listen on TLS for "
                + EtcdConfig.hostPort(url)
                + ": KeyFile and CertFile are not presented");
      }
      if (!EtcdConfig.isTls(url) && peer.clientCertAuth()) {
        warnings.add(
            "The scheme of peer url "
                + url
                + " is HTTP while client cert auth (--peer-client-cert-auth) is enabled. Ignored"
                + " client cert auth for this url.");
      }
    }
    EtcdConfig.Tls client = config.clientTls();
    boolean clientKeyPair = !client.certFile().isEmpty() && !client.keyFile().isEmpty();
    for (URI url : config.listenClientUrls()) {
      if (EtcdConfig.isTls(url)) {
        if (!clientKeyPair && !client.autoTls()) {
          throw new ConfigException(
              "TLS key/cert (--cert-file, --key-file) must be provided for client url "
                  + url
                  + " with HTTPS scheme");
        }
      } else {
        if (!client.certFile().isEmpty() || !client.keyFile().isEmpty()) {
          // etcd's wording, "peer" included.
          warnings.add(
              "The scheme of client url "
                  + url
                  + " is HTTP while peer key/cert files are presented. Ignored key/cert files.");
        }
        if (client.clientCertAuth()) {
          warnings.add(
              "The scheme of client url "
                  + url
                  + " is HTTP while client cert auth (--client-cert-auth) is enabled. Ignored client"
                  + " cert auth for this url.");
        }
      }
    }
    if (client.autoTls() && clientKeyPair) {
      warnings.add("ignoring client auto TLS since certs given");
    }
    if (peer.autoTls() && peerKeyPair) {
      warnings.add("ignoring peer auto TLS since certs given");
    }
    Set<String> known = knownCipherSuites();
    for (String suite : config.cipherSuites()) {
      if (!known.contains(javaCipherSuite(suite))) {
        throw new ConfigException("unexpected TLS cipher suite \"" + suite + "\"");
      }
    }
  }

  /**
   * The JSSE name of a cipher suite named as Go (and so etcd) names it: Go drops the {@code
   * _SHA256} of the TLS 1.2 ChaCha20-Poly1305 suites.
   */
  static String javaCipherSuite(String goName) {
    return goName.endsWith("_CHACHA20_POLY1305") && goName.startsWith("TLS_ECDHE_")
        ? goName + "_SHA256"
        : goName;
  }

  private static Set<String> knownCipherSuites() throws ConfigException {
    try {
      return Arrays.stream(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites())
          .collect(Collectors.toSet());
    } catch (NoSuchAlgorithmException e) {
      throw new ConfigException("no TLS implementation: " + e.getMessage());
    }
  }
}
