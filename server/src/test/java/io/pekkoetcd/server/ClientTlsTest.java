package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.Curl;
import io.pekkoetcd.testkit.process.Ports;
import io.pekkoetcd.testkit.tls.TestPki;
import io.pekkoetcd.testkit.tls.TestPki.KeyForm;
import io.pekkoetcd.testkit.tls.TestPki.KeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client port over TLS with {@code --client-cert-auth}, with etcd's flags and certificates made
 * by openssl (server key PKCS#1 RSA, client key PKCS#8 EC): etcdctl with {@code --cacert --cert
 * --key} against an {@code https://} endpoint works (HTTP/2 by ALPN), curl reads {@code /health}
 * over HTTP/1.1 and HTTP/2, and a client without a certificate, or with one from another CA, is
 * refused.
 */
class ClientTlsTest {
  @TempDir static Path dir;

  private static MemberRunner.Running running;
  private static String endpoint;
  private static TestPki pki;
  private static KeyPair client;
  private static KeyPair stranger;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl is not installed");
    pki = TestPki.create(dir.resolve("pki"), "test-ca");
    KeyPair server = pki.issue("server", "server", KeyForm.RSA_PKCS1);
    client = pki.issue("client", "root", KeyForm.PKCS8);
    stranger =
        TestPki.create(dir.resolve("other"), "other-ca").issue("stranger", "root", KeyForm.EC_SEC1);
    int clientPort = Ports.freePort();
    endpoint = "https://127.0.0.1:" + clientPort;
    List<String> args =
        new ArrayList<>(
            InProcessMember.etcdFlags("tls", dir.resolve("data"), clientPort, Ports.freePort()));
    args.addAll(
        List.of(
            "--listen-client-urls",
            endpoint,
            "--advertise-client-urls",
            endpoint,
            "--cert-file",
            server.cert().toString(),
            "--key-file",
            server.key().toString(),
            "--trusted-ca-file",
            pki.ca().toString(),
            "--client-cert-auth"));
    ParseResult.Run run =
        (ParseResult.Run) EtcdConfigParser.parse(args.toArray(String[]::new), Map.of());
    var member = MemberRunner.memberConfig(run.config());
    running =
        MemberRunner.run(
                member,
                MemberRunner.systemConfig(member),
                "127.0.0.1",
                clientPort,
                List.of(),
                MemberRunner.clientTls(run.config()))
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (running != null) {
      running.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Etcdctl.Result etcdctl(KeyPair pair, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--cacert=" + pki.ca()));
    if (pair != null) {
      all.add("--cert=" + pair.cert());
      all.add("--key=" + pair.key());
    }
    all.addAll(List.of(args));
    return Etcdctl.run(endpoint, null, all.toArray(String[]::new));
  }

  @Test
  void etcdctlWithAClientCertificateUsesEveryApi() throws Exception {
    assertThat(etcdctl(client, "put", "/tls/a", "1").output()).isEqualTo("OK\n");
    assertThat(etcdctl(client, "put", "/tls/b", "2").output()).isEqualTo("OK\n");
    assertThat(etcdctl(client, "get", "/tls/a").output()).isEqualTo("/tls/a\n1\n");
    Etcdctl.Result keys = etcdctl(client, "get", "--prefix", "--keys-only", "/tls/");
    assertThat(keys.exitCode()).isZero();
    assertThat(keys.output()).isEqualTo("/tls/a\n\n/tls/b\n\n");
    Etcdctl.Result health = etcdctl(client, "endpoint", "health");
    assertThat(health.exitCode()).as(health.output()).isZero();
    assertThat(health.output()).startsWith(endpoint + " is healthy");
    // per-endpoint maintenance calls: the :authority etcdctl sends for https endpoints
    Etcdctl.Result status = etcdctl(client, "endpoint", "status", "-w", "json");
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output()).contains("\"Endpoint\":\"" + endpoint + "\"");
    Etcdctl.Result members = etcdctl(client, "member", "list");
    assertThat(members.exitCode()).as(members.output()).isZero();
    assertThat(members.output()).contains("started, tls, ").contains(endpoint);
  }

  /**
   * etcd's --client-cert-auth with auth enabled: a call without a token acts as the user its
   * verified certificate names (CN), root for {@code client}, a reader of {@code /cn/} for alice.
   */
  @Test
  void withAuthEnabledTheCertificatesCommonNameIsTheUser() throws Exception {
    KeyPair alice = pki.issue("alice", "alice", KeyForm.PKCS8);
    assertThat(etcdctl(client, "user", "add", "root:rootpw").output())
        .isEqualTo("User root created\n");
    // etcdctl logs the first refusal ("root user does not have root role") before it grants the
    // role
    assertThat(etcdctl(client, "auth", "enable").output()).endsWith("Authentication Enabled\n");
    try {
      assertThat(etcdctl(client, "user", "add", "alice:alicepw").output())
          .isEqualTo("User alice created\n");
      assertThat(etcdctl(client, "role", "add", "cn-reader").output())
          .isEqualTo("Role cn-reader created\n");
      assertThat(
              etcdctl(client, "role", "grant-permission", "cn-reader", "--prefix", "read", "/cn/")
                  .output())
          .isEqualTo("Role cn-reader updated\n");
      assertThat(etcdctl(client, "user", "grant-role", "alice", "cn-reader").output())
          .isEqualTo("Role cn-reader is granted to user alice\n");
      assertThat(etcdctl(client, "put", "/cn/a", "1").output()).isEqualTo("OK\n");
      assertThat(etcdctl(alice, "get", "/cn/a", "--print-value-only").output()).isEqualTo("1\n");
      assertThat(etcdctl(alice, "put", "/cn/a", "2").output())
          .endsWith("Error: etcdserver: permission denied\n");
      assertThat(etcdctl(alice, "get", "/tls/a").output())
          .endsWith("Error: etcdserver: permission denied\n");
    } finally {
      assertThat(etcdctl(client, "auth", "disable").output())
          .isEqualTo("Authentication Disabled\n");
    }
  }

  @Test
  void clientsWithoutATrustedCertificateAreRefused() throws Exception {
    Etcdctl.Result anonymous = etcdctl(null, "get", "/tls/a");
    assertThat(anonymous.exitCode()).isNotZero();
    assertThat(anonymous.output()).doesNotContain("/tls/a");
    Etcdctl.Result other = etcdctl(stranger, "get", "/tls/a");
    assertThat(other.exitCode()).isNotZero();
    assertThat(other.output()).doesNotContain("/tls/a");
    Curl.Result curl = Curl.run("--cacert", pki.ca().toString(), endpoint + "/health");
    assertThat(curl.exitCode()).isNotZero();
    assertThat(curl.output()).doesNotContain("health");
  }

  @Test
  void healthOverHttp1AndHttp2() throws Exception {
    for (String version : List.of("--http1.1", "--http2")) {
      Curl.Result curl =
          Curl.run(
              version,
              "--cacert",
              pki.ca().toString(),
              "--cert",
              client.cert().toString(),
              "--key",
              client.key().toString(),
              endpoint + "/health");
      assertThat(curl.exitCode()).as(version + ": " + curl.output()).isZero();
      assertThat(curl.output()).as(version).contains("\"health\":\"true\"");
    }
  }
}
