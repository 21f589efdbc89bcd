package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.grpc.tls.CertCnHeader;
import io.pekkoetcd.grpc.tls.HttpsBinding;
import io.pekkoetcd.grpc.tls.TlsSettings;
import io.pekkoetcd.testkit.process.Curl;
import io.pekkoetcd.testkit.process.Ports;
import io.pekkoetcd.testkit.tls.TestPki;
import io.pekkoetcd.testkit.tls.TestPki.KeyForm;
import io.pekkoetcd.testkit.tls.TestPki.KeyPair;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client port's CN contract, seen by a handler that answers the {@code pekko-etcd-cert-cn} it
 * received: the verified client certificate's CN on TLS (HTTP/1.1 and HTTP/2), never what the
 * client sent under that name, and nothing on plaintext or when no certificate was asked for.
 */
class CertCnHeaderTest {
  @TempDir static Path dir;
  private static ActorSystem<Void> system;
  private static TestPki pki;
  private static KeyPair alice;
  private static String mutual;
  private static String serverOnly;
  private static String plain;

  @BeforeAll
  static void bind() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "cn-test");
    pki = TestPki.create(dir, "cn-ca");
    KeyPair server = pki.issue("server", "server", KeyForm.EC_SEC1);
    alice = pki.issue("alice", "alice", KeyForm.RSA_PKCS1);
    mutual = bind(Optional.of(settings(server, true)), "https");
    serverOnly = bind(Optional.of(settings(server, false)), "https");
    plain = bind(Optional.empty(), "http");
  }

  private static TlsSettings settings(KeyPair server, boolean clientCertAuth) {
    return new TlsSettings(
        server.cert(), server.key(), Optional.of(pki.ca()), clientCertAuth, List.of(), false);
  }

  private static String bind(Optional<TlsSettings> tls, String scheme) throws Exception {
    int port = Ports.freePort();
    ServerBinding b =
        HttpsBinding.serverAt(system, "127.0.0.1", port, tls)
            .bind(
                CertCnHeader.wrap(
                    request ->
                        CompletableFuture.completedFuture(
                            HttpResponse.create()
                                .withEntity(
                                    request
                                        .getHeader(CertCnHeader.NAME)
                                        .map(h -> "cn=" + h.value())
                                        .orElse("none")))))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(b.localAddress().getPort()).isEqualTo(port);
    return scheme + "://127.0.0.1:" + port + "/";
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.terminate();
    }
  }

  private static String curl(String url, String... extra) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("--cacert", pki.ca().toString(), "-H", CertCnHeader.NAME + ": forged"));
    args.addAll(List.of(extra));
    args.add(url);
    Curl.Result r = Curl.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output();
  }

  @Test
  void aVerifiedCertificatesCnReplacesWhatTheClientSent() throws Exception {
    for (String version : List.of("--http1.1", "--http2")) {
      assertThat(
              curl(
                  mutual,
                  version,
                  "--cert",
                  alice.cert().toString(),
                  "--key",
                  alice.key().toString()))
          .as(version)
          .isEqualTo("cn=alice");
    }
  }

  @Test
  void noCertificateNoCn() throws Exception {
    // without --client-cert-auth no certificate is asked for, even when the client has one
    assertThat(curl(serverOnly, "--cert", alice.cert().toString(), "--key", alice.key().toString()))
        .isEqualTo("none");
    assertThat(curl(serverOnly, "--http2")).isEqualTo("none");
    assertThat(curl(plain)).isEqualTo("none");
    assertThat(curl(plain, "--http2-prior-knowledge")).isEqualTo("none");
  }
}
