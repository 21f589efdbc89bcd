package io.pekkoetcd.grpc.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One side's TLS (the client port or the peer transport), as etcd's flags give it.
 *
 * @param certFile PEM certificate chain, the server's own first ({@code --cert-file})
 * @param keyFile PEM private key of the first certificate ({@code --key-file})
 * @param trustedCaFile PEM CA certificates that sign the certificates of the other side ({@code
 *     --trusted-ca-file}); empty: the JDK's default trust store
 * @param clientCertAuth whether a connecting side must present a certificate signed by {@code
 *     trustedCaFile} ({@code --client-cert-auth})
 * @param cipherSuites the TLS 1.2 suites allowed, Go names ({@code --cipher-suites}); empty: the
 *     JDK's defaults. TLS 1.3 suites are always on, as in Go.
 * @param trustAll skip verifying the other side's certificate (auto TLS, where every certificate is
 *     self-signed; etcd does the same)
 */
public record TlsSettings(
    Path certFile,
    Path keyFile,
    Optional<Path> trustedCaFile,
    boolean clientCertAuth,
    List<String> cipherSuites,
    boolean trustAll) {

  public TlsSettings {
    cipherSuites = List.copyOf(cipherSuites);
  }
}
