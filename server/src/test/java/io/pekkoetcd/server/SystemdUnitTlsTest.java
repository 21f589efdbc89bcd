package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.Ports;
import io.pekkoetcd.testkit.process.ServerProcess;
import io.pekkoetcd.testkit.tls.TestPki;
import io.pekkoetcd.testkit.tls.TestPki.KeyForm;
import io.pekkoetcd.testkit.tls.TestPki.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/pekko-etcd.service as written: its ExecStart flags, with the unit's variables,
 * ports and paths replaced for three members on loopback (free ports for 2379/2380, a temp dir for
 * /etc/pekko-etcd/pki and /var/lib/pekko-etcd), run three real member processes over client and
 * peer TLS with certificates made by openssl; etcdctl with {@code --cacert --cert --key} against
 * their {@code https://} endpoints runs the acceptance commands, and etcdctl without a client
 * certificate is refused. (A peer with another CA's certificate: {@link PeerTlsClusterTest}.)
 */
class SystemdUnitTlsTest {
  @TempDir Path dir;

  @Test
  void threeMembersWithTheUnitsFlags() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl is not installed");
    List<String> unitFlags =
        execStartFlags(repositoryRoot().resolve("deploy/systemd/pekko-etcd.service"));
    assertThat(unitFlags)
        .contains("--client-cert-auth", "--peer-client-cert-auth")
        .anyMatch(f -> f.startsWith("--listen-peer-urls=https://"));
    TestPki pki = TestPki.create(dir.resolve("ca"), "unit-ca");
    KeyPair client = pki.issue("client", "root", KeyForm.PKCS8);
    int[] clientPorts = new int[3];
    int[] peerPorts = new int[3];
    StringBuilder cluster = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      clientPorts[i] = Ports.freePort();
      peerPorts[i] = Ports.freePort();
      cluster.append(i == 0 ? "" : ",").append("infra" + i + "=https://127.0.0.1:" + peerPorts[i]);
    }
    List<Process> members = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Path etc = dir.resolve("etc" + i);
        Files.createDirectories(etc);
        Files.copy(pki.ca(), etc.resolve("ca.pem"));
        KeyPair server = pki.issue("server" + i, "infra" + i, KeyForm.RSA_PKCS1);
        KeyPair peer = pki.issue("peer" + i, "infra" + i, KeyForm.EC_SEC1);
        Files.copy(server.cert(), etc.resolve("server.pem"));
        Files.copy(server.key(), etc.resolve("server-key.pem"));
        Files.copy(peer.cert(), etc.resolve("peer.pem"));
        Files.copy(peer.key(), etc.resolve("peer-key.pem"));
        List<String> flags = new ArrayList<>();
        for (String f : unitFlags) {
          flags.add(
              f.replace("${PEKKO_ETCD_NAME}", "infra" + i)
                  .replace("${PEKKO_ETCD_HOST}", "127.0.0.1")
                  .replace("${PEKKO_ETCD_INITIAL_CLUSTER}", cluster)
                  .replace("/etc/pekko-etcd/pki/", etc + "/")
                  .replace("/var/lib/pekko-etcd", dir.resolve("data" + i).toString())
                  .replace(":2379", ":" + clientPorts[i])
                  .replace(":2380", ":" + peerPorts[i]));
        }
        assertThat(String.join(" ", flags)).doesNotContain("${").doesNotContain("/etc/pekko-etcd");
        members.add(start(flags, dir.resolve("infra" + i + ".log")));
      }
      String[] tls = {"--cacert=" + pki.ca(), "--cert=" + client.cert(), "--key=" + client.key()};
      String endpoints =
          String.join(
              ",", Arrays.stream(clientPorts).mapToObj(p -> "https://127.0.0.1:" + p).toList());
      Poll.until(
          Duration.ofSeconds(120),
          Duration.ofSeconds(1),
          () -> "three healthy members over TLS; logs in " + dir,
          () -> etcdctl(endpoints, tls, "endpoint", "health").exitCode() == 0);
      // a member serves before its client URLs are published through Raft (every 500 ms until
      // applied): the list is complete once every member has applied every member's publish
      for (int port : clientPorts) {
        Poll.until(
            Duration.ofSeconds(30),
            Duration.ofMillis(500),
            () -> "every member's client URL in the member list of the member at " + port,
            () -> {
              Etcdctl.Result r = etcdctl("https://127.0.0.1:" + port, tls, "member", "list");
              return r.exitCode() == 0 && !r.output().contains(", , ");
            });
      }
      Etcdctl.Result list = etcdctl(endpoints, tls, "member", "list");
      assertThat(list.exitCode()).as(list.output()).isZero();
      for (int i = 0; i < 3; i++) {
        assertThat(list.output())
            .contains(
                "started, infra"
                    + i
                    + ", https://127.0.0.1:"
                    + peerPorts[i]
                    + ", https://127.0.0.1:"
                    + clientPorts[i]);
      }
      Etcdctl.Result status = etcdctl(endpoints, tls, "endpoint", "status");
      assertThat(status.exitCode()).as(status.output()).isZero();
      assertThat(status.output().lines()).hasSize(3);
      assertThat(etcdctl(endpoints, tls, "put", "/unit/a", "1").output()).isEqualTo("OK\n");
      assertThat(etcdctl(endpoints, tls, "put", "/unit/b", "2").output()).isEqualTo("OK\n");
      assertThat(etcdctl(endpoints, tls, "get", "--prefix", "--keys-only", "/unit/").output())
          .isEqualTo("/unit/a\n\n/unit/b\n\n");
      Etcdctl.Result anonymous =
          etcdctl(endpoints, new String[] {"--cacert=" + pki.ca()}, "get", "/unit/a");
      assertThat(anonymous.exitCode()).isNotZero();
      assertThat(anonymous.output()).doesNotContain("/unit/a\n1");
    } finally {
      for (Process p : members) {
        p.destroy();
      }
      for (Process p : members) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** The ExecStart line's arguments after the binary, continuation lines joined. */
  static List<String> execStartFlags(Path unit) throws Exception {
    String text = Files.readString(unit).replace("\\\n", " ");
    String exec =
        text.lines()
            .filter(l -> l.startsWith("ExecStart="))
            .findFirst()
            .orElseThrow()
            .substring("ExecStart=".length());
    List<String> words = Arrays.stream(exec.trim().split("\\s+")).toList();
    assertThat(words.get(0)).isEqualTo("/usr/local/bin/pekko-etcd");
    return words.subList(1, words.size());
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("deploy/systemd"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no deploy/systemd above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  private static Process start(List<String> flags, Path log) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    cmd.add("-Xmx384m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ServerProcess.MAIN_CLASS);
    cmd.addAll(flags);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
    return pb.start();
  }

  private static Etcdctl.Result etcdctl(String endpoints, String[] tls, String... args) {
    List<String> all = new ArrayList<>(List.of(tls));
    all.addAll(List.of(args));
    try {
      return Etcdctl.run(endpoints, null, all.toArray(String[]::new));
    } catch (Exception e) {
      return new Etcdctl.Result(-1, e.toString());
    }
  }
}
