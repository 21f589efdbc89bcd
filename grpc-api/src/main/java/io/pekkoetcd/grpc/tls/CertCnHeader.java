package io.pekkoetcd.grpc.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.SslSessionInfo;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.function.Function;

/**
 * The client port's contract with the auth layer about client certificates: every request reaches
 * the handlers with a {@value #NAME} header that is exactly the CN of the client certificate its
 * TLS connection verified, or without one. Whatever a client sent under that name is dropped first,
 * so a client can never choose its CN; on a plaintext connection, or a TLS one without a client
 * certificate, no such header arrives. With {@code --client-cert-auth} the certificate was verified
 * against {@code --trusted-ca-file} during the handshake; without it no certificate is asked for
 * (as etcd), so none is ever reported.
 *
 * <p>The TLS session comes from pekko-http's {@code ssl-session} request attribute, which the
 * client port turns on for its HTTPS binding.
 */
public final class CertCnHeader {
  private CertCnHeader() {}

  /** The header that carries the verified client certificate's CN to the gRPC handlers. */
  public static final String NAME = "pekko-etcd-cert-cn";

  /** {@code handler}, seeing every request as {@link #withCertCn} makes it. */
  public static Function<HttpRequest, CompletionStage<HttpResponse>> wrap(
      Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    return request -> handler.apply(withCertCn(request));
  }

  /** {@code request} without any {@value #NAME} it came with, plus the verified CN if any. */
  public static HttpRequest withCertCn(HttpRequest request) {
    HttpRequest clean = request.getHeader(NAME).isPresent() ? request.removeHeader(NAME) : request;
    return commonName(request).map(cn -> clean.addHeader(RawHeader.create(NAME, cn))).orElse(clean);
  }

  /** The CN of the client certificate the request's TLS connection verified, if any. */
  static Optional<String> commonName(HttpRequest request) {
    Optional<SslSessionInfo> info = request.getAttribute(AttributeKeys.sslSession);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    Certificate[] peer;
    try {
      peer = info.get().getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (peer.length == 0 || !(peer[0] instanceof X509Certificate cert)) {
      return Optional.empty();
    }
    return commonName(cert.getSubjectX500Principal());
  }

  /**
   * The subject's CN as Go's {@code pkix.Name.CommonName} (the last CN of the subject); empty when
   * there is none or it holds control characters, which no header may carry.
   */
  static Optional<String> commonName(X500Principal subject) {
    try {
      List<Rdn> rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns();
      String cn = null;
      for (Rdn rdn : rdns) { // ASN.1 order: the RFC 2253 string is reversed
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = rdn.getValue().toString();
        }
      }
      if (cn == null || cn.isEmpty() || cn.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        return Optional.empty();
      }
      return Optional.of(cn);
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
