package io.pekkoetcd.grpc.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * SSL contexts and engines as etcd 3.4 sets up Go's TLS: TLS 1.2 minimum (1.3 allowed), the
 * server's key pair from PEM files, the other side verified against the trusted CA file, a client
 * certificate required only with {@code --client-cert-auth} (and not even asked for otherwise),
 * {@code --cipher-suites} restricting the TLS 1.2 suites while TLS 1.3's stay on (Go does not let
 * them be configured).
 */
public final class TlsContexts {
  private TlsContexts() {}

  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
  private static final char[] IN_MEMORY = "pekko-etcd".toCharArray();

  /**
   * The context for {@code settings}, reading its files now.
   *
   * @throws IllegalArgumentException if a file cannot be read or the key does not fit
   */
  public static SSLContext context(TlsSettings settings) {
    try {
      List<X509Certificate> chain = PemFiles.certificates(settings.certFile());
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "key",
          PemFiles.privateKey(settings.keyFile()),
          IN_MEMORY,
          chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, IN_MEMORY);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), trustManagers(settings), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot use the key pair " + settings.certFile() + ", " + settings.keyFile() + ": " + e,
          e);
    }
  }

  private static TrustManager[] trustManagers(TlsSettings settings)
      throws GeneralSecurityException, IOException {
    if (settings.trustAll()) {
      return new TrustManager[] {new TrustAll()};
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (settings.trustedCaFile().isEmpty()) {
      tmf.init((KeyStore) null);
    } else {
      KeyStore cas = KeyStore.getInstance("PKCS12");
      cas.load(null, null);
      List<X509Certificate> certs = PemFiles.certificates(settings.trustedCaFile().get());
      for (int i = 0; i < certs.size(); i++) {
        cas.setCertificateEntry("ca" + i, certs.get(i));
      }
      tmf.init(cas);
    }
    return tmf.getTrustManagers();
  }

  /** An engine for the accepting side of a connection. */
  public static SSLEngine serverEngine(SSLContext context, TlsSettings settings) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    configure(engine, settings);
    if (settings.clientCertAuth()) {
      engine.setNeedClientAuth(true);
    }
    return engine;
  }

  /** An engine for the connecting side of a connection to {@code host:port}. */
  public static SSLEngine clientEngine(
      SSLContext context, TlsSettings settings, String host, int port) {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    configure(engine, settings);
    return engine;
  }

  private static void configure(SSLEngine engine, TlsSettings settings) {
    List<String> supported = Arrays.asList(engine.getSupportedProtocols());
    engine.setEnabledProtocols(
        PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
    if (!settings.cipherSuites().isEmpty()) {
      List<String> suites = new ArrayList<>(TLS13_SUITES);
      settings.cipherSuites().stream().map(TlsContexts::javaCipherSuite).forEach(suites::add);
      List<String> available = Arrays.asList(engine.getSupportedCipherSuites());
      engine.setEnabledCipherSuites(
          suites.stream().distinct().filter(available::contains).toArray(String[]::new));
    }
  }

  /**
   * The JSSE name of a cipher suite named as Go (and so etcd) names it: Go drops the {@code
   * _SHA256} of the TLS 1.2 ChaCha20-Poly1305 suites.
   */
  public static String javaCipherSuite(String goName) {
    return goName.startsWith("TLS_ECDHE_") && goName.endsWith("_CHACHA20_POLY1305")
        ? goName + "_SHA256"
        : goName;
  }

  /** Auto TLS: every certificate is self-signed, so none can be verified (etcd skips it too). */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
