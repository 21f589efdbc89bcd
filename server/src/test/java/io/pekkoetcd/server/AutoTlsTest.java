package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --auto-tls} and {@code --peer-auto-tls} as etcd: self-signed certificates under {@code
 * <data-dir>/fixtures/client} and {@code fixtures/peer} (key mode 0600, reused on restart), the
 * client port serving TLS that etcdctl reaches with {@code --insecure-transport=false
 * --insecure-skip-tls-verify} (as with etcd: the skip flag alone leaves etcdctl in plaintext), and
 * the peer port answering a TLS handshake with the generated certificate.
 */
class AutoTlsTest {
  @TempDir Path dir;

  @Test
  void selfSignedCertificatesOnBothPorts() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl is not installed");
    int client = Ports.freePort();
    int peer = Ports.freePort();
    Path data = dir.resolve("data");
    String endpoint = "https://127.0.0.1:" + client;
    String peerUrl = "https://127.0.0.1:" + peer;
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--name=auto",
                "--data-dir=" + data,
                "--listen-client-urls=" + endpoint,
                "--advertise-client-urls=" + endpoint,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=auto=" + peerUrl,
                "--auto-tls",
                "--peer-auto-tls"));
    String firstCert;
    try (var running = start(flags)) {
      Etcdctl.Result put =
          Etcdctl.run(
              endpoint,
              null,
              "--insecure-transport=false",
              "--insecure-skip-tls-verify",
              "put",
              "/auto",
              "tls");
      assertThat(put.output()).isEqualTo("OK\n");
      Etcdctl.Result health =
          Etcdctl.run(
              endpoint,
              null,
              "--insecure-transport=false",
              "--insecure-skip-tls-verify",
              "endpoint",
              "health");
      assertThat(health.exitCode()).as(health.output()).isZero();
      // without skipping verification the self-signed certificate is not trusted
      assertThat(
              Etcdctl.run(endpoint, null, "--insecure-transport=false", "get", "/auto").exitCode())
          .isNotZero();
      for (String side : List.of("client", "peer")) {
        Path fixtures = data.resolve("fixtures").resolve(side);
        assertThat(fixtures.resolve("cert.pem")).isRegularFile();
        assertThat(
                PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(fixtures.resolve("key.pem"))))
            .isEqualTo("rw-------");
        assertThat(Files.readString(fixtures.resolve("key.pem")))
            .startsWith("-----BEGIN EC PRIVATE KEY-----");
      }
      String peerHandshake = sClient(peer);
      assertThat(peerHandshake).contains("O = etcd").contains("IP Address:127.0.0.1");
      firstCert = Files.readString(data.resolve("fixtures/client/cert.pem"));
    }
    try (var running = start(flags)) {
      assertThat(Files.readString(data.resolve("fixtures/client/cert.pem"))).isEqualTo(firstCert);
      assertThat(
              Etcdctl.run(
                      endpoint,
                      null,
                      "--insecure-transport=false",
                      "--insecure-skip-tls-verify",
                      "get",
                      "/auto")
                  .output())
          .isEqualTo("/auto\ntls\n");
    }
  }

  /** What {@code openssl s_client} shows of the peer port's certificate. */
  private static String sClient(int port) throws Exception {
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                "openssl s_client -connect 127.0.0.1:"
                    + port
                    + " </dev/null 2>/dev/null | openssl x509 -noout -subject -ext subjectAltName")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static AutoCloseable start(List<String> flags) throws Exception {
    ParseResult.Run run =
        (ParseResult.Run) EtcdConfigParser.parse(flags.toArray(String[]::new), Map.of());
    var member = MemberRunner.memberConfig(run.config());
    var peer = run.config().peerHostPort();
    MemberRunner.Running running =
        MemberRunner.run(
                member,
                MemberRunner.systemConfig(
                    member, peer.host(), peer.port(), MemberRunner.peerTls(run.config())),
                "127.0.0.1",
                run.config().clientHostPort().port(),
                List.of(),
                MemberRunner.clientTls(run.config()))
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    return () -> running.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
