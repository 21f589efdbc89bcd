package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.Ports;
import io.pekkoetcd.testkit.tls.TestPki;
import io.pekkoetcd.testkit.tls.TestPki.KeyForm;
import io.pekkoetcd.testkit.tls.TestPki.KeyPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members whose peer transport runs over mutual TLS ({@code https://} peer URLs, {@code
 * --peer-cert-file --peer-key-file --peer-trusted-ca-file --peer-client-cert-auth}) and whose
 * client port is TLS too, in this JVM: they elect a leader and replicate; a fourth member added
 * with MemberAdd but holding a peer certificate from another CA cannot join (it never reaches the
 * cluster, which keeps serving), while the same member with a certificate from the cluster's CA
 * joins.
 */
class PeerTlsClusterTest {
  @TempDir Path dir;

  private TestPki pki;
  private KeyPair client;
  private final List<MemberRunner.Running> running = new ArrayList<>();

  @Test
  void threeMembersOverTlsAndAStrangerCannotJoin() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl is not installed");
    pki = TestPki.create(dir.resolve("pki"), "cluster-ca");
    client = pki.issue("client", "root", KeyForm.PKCS8);
    int[] clientPorts = new int[4];
    int[] peerPorts = new int[4];
    for (int i = 0; i < 4; i++) {
      clientPorts[i] = Ports.freePort();
      peerPorts[i] = Ports.freePort();
    }
    StringBuilder cluster = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      cluster.append(i == 0 ? "" : ",").append("m" + i + "=https://127.0.0.1:" + peerPorts[i]);
    }
    try {
      List<CompletableFuture<MemberRunner.Running>> starting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        KeyPair peer = pki.issue("m" + i, "m" + i, KeyForm.EC_SEC1);
        List<String> flags =
            flags("m" + i, clientPorts[i], peerPorts[i], cluster.toString(), peer, pki.ca());
        starting.add(start(flags, false));
      }
      for (CompletableFuture<MemberRunner.Running> s : starting) {
        running.add(s.get(90, TimeUnit.SECONDS));
      }
      String endpoints = endpoint(clientPorts[0]) + "," + endpoint(clientPorts[1]);
      Poll.until(
          Duration.ofSeconds(60),
          Duration.ofMillis(500),
          () -> "a leader elected over TLS",
          () -> etcdctl(endpoint(clientPorts[2]), "put", "/peer-tls", "1").exitCode() == 0);
      assertThat(etcdctl(endpoint(clientPorts[1]), "get", "/peer-tls").output())
          .isEqualTo("/peer-tls\n1\n");
      Etcdctl.Result health =
          etcdctl(endpoints + "," + endpoint(clientPorts[2]), "endpoint", "health");
      assertThat(health.exitCode()).as(health.output()).isZero();

      // A fourth member, added by MemberAdd, whose peer certificate another CA signed.
      String m3Peer = "https://127.0.0.1:" + peerPorts[3];
      Etcdctl.Result added = etcdctl(endpoints, "member", "add", "m3", "--peer-urls=" + m3Peer);
      assertThat(added.exitCode()).as(added.output()).isZero();
      String joinCluster = cluster + ",m3=" + m3Peer;
      TestPki other = TestPki.create(dir.resolve("other"), "other-ca");
      KeyPair stranger = other.issue("m3", "m3", KeyForm.EC_SEC1);
      List<String> strangerFlags =
          flags("m3", clientPorts[3], peerPorts[3], joinCluster, stranger, other.ca());
      strangerFlags.add("--initial-cluster-state=existing");
      strangerFlags.set(
          strangerFlags.indexOf("--data-dir") + 1, dir.resolve("stranger").toString());
      assertThatThrownBy(() -> start(strangerFlags, true).get(90, TimeUnit.SECONDS))
          // etcd's wording: its TLS handshakes with every peer failed
          .hasMessageContaining("could not retrieve cluster information from the given URLs");
      assertThat(etcdctl(endpoints, "member", "list").output())
          .contains("unstarted")
          .doesNotContain("started, m3");
      assertThat(etcdctl(endpoints, "put", "/still", "serving").output()).isEqualTo("OK\n");

      // The same member with a certificate from the cluster's CA joins.
      KeyPair m3 = pki.issue("m3", "m3", KeyForm.RSA_PKCS1);
      List<String> m3Flags = flags("m3", clientPorts[3], peerPorts[3], joinCluster, m3, pki.ca());
      m3Flags.add("--initial-cluster-state=existing");
      running.add(start(m3Flags, true).get(90, TimeUnit.SECONDS));
      Poll.until(
          Duration.ofSeconds(60),
          Duration.ofMillis(500),
          () -> "m3 serving what the cluster wrote",
          () ->
              etcdctl(endpoint(clientPorts[3]), "get", "/still")
                  .output()
                  .equals("/still\nserving\n"));
      assertThat(etcdctl(endpoints, "member", "list").output()).contains("started, m3, ");
    } finally {
      // all at once: one by one, each waits out its Artery links to the members already gone
      List<java.util.concurrent.CompletableFuture<?>> stopping = new ArrayList<>();
      for (MemberRunner.Running r : running) {
        stopping.add(r.stop().toCompletableFuture());
      }
      for (java.util.concurrent.CompletableFuture<?> f : stopping) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
  }

  private List<String> flags(
      String name, int clientPort, int peerPort, String cluster, KeyPair peer, Path peerCa) {
    KeyPair server = peer; // one certificate for both ports, as many etcd deployments do
    List<String> flags =
        ThreeMemberCluster.memberFlags(
            name, dir.resolve(name), clientPort, peerPort, cluster.toString());
    flags.addAll(
        List.of(
            "--listen-client-urls=" + endpoint(clientPort),
            "--advertise-client-urls=" + endpoint(clientPort),
            "--listen-peer-urls=https://127.0.0.1:" + peerPort,
            "--initial-advertise-peer-urls=https://127.0.0.1:" + peerPort,
            "--cert-file=" + server.cert(),
            "--key-file=" + server.key(),
            "--trusted-ca-file=" + pki.ca(),
            "--client-cert-auth",
            "--peer-cert-file=" + peer.cert(),
            "--peer-key-file=" + peer.key(),
            "--peer-trusted-ca-file=" + peerCa,
            "--peer-client-cert-auth"));
    return flags;
  }

  private static CompletableFuture<MemberRunner.Running> start(List<String> flags, boolean join)
      throws Exception {
    ParseResult.Run run =
        (ParseResult.Run) EtcdConfigParser.parse(flags.toArray(String[]::new), Map.of());
    var member =
        join ? MemberRunner.resolve(run.config()) : MemberRunner.memberConfig(run.config());
    var peer = run.config().peerHostPort();
    return MemberRunner.run(
            member,
            MemberRunner.systemConfig(
                member, peer.host(), peer.port(), MemberRunner.peerTls(run.config())),
            "127.0.0.1",
            run.config().clientHostPort().port(),
            List.of(),
            MemberRunner.clientTls(run.config()))
        .toCompletableFuture();
  }

  private static String endpoint(int port) {
    return "https://127.0.0.1:" + port;
  }

  private Etcdctl.Result etcdctl(String endpoints, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of("--cacert=" + pki.ca(), "--cert=" + client.cert(), "--key=" + client.key()));
    all.addAll(List.of(args));
    try {
      return Etcdctl.run(endpoints, null, all.toArray(String[]::new));
    } catch (Exception e) {
      return new Etcdctl.Result(-1, e.toString());
    }
  }
}
