package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcdctl 3.4's {@code user}, {@code role} and {@code auth} commands, and the permission denials
 * auth brings, against real etcd 3.4 and against pekko-etcd, both fresh: the same sequence must
 * print the same (exit codes and output; only the port and etcdctl's log timestamps and client ids
 * are masked: nothing here prints member IDs or revisions). Compact passes for any user, as in etcd
 * 3.4.
 */
class AuthEtcdctlCompatibilityTest {
  @TempDir Path dir;

  private static final String ROOT = "--user=root:rootpw";
  private static final String ALICE = "--user=alice:alicepw";

  static final List<String[]> STEPS =
      List.of(
          args("auth", "enable"),
          args("user", "add", "root", "--new-user-password=rootpw"),
          args("user", "add", "alice", "--new-user-password=alicepw"),
          args("user", "add", "alice", "--new-user-password=other"),
          args("role", "add", "reader"),
          args("role", "add", "reader"),
          args("role", "grant-permission", "reader", "read", "foo"),
          args("role", "grant-permission", "reader", "--prefix=true", "readwrite", "pre/"),
          args("role", "grant-permission", "reader", "write", "k1", "k5"),
          args("role", "grant-permission", "reader", "--from-key", "read", "z"),
          args("role", "grant-permission", "reader", "write", "foo"),
          args("role", "grant-permission", "nope", "read", "x"),
          args("role", "get", "reader"),
          args("role", "get", "nope"),
          args("user", "grant-role", "alice", "reader"),
          args("user", "grant-role", "alice", "nope"),
          args("user", "grant-role", "nobody", "reader"),
          args("user", "get", "alice"),
          args("user", "get", "nobody"),
          args("user", "list"),
          args("role", "list"),
          args("put", "foo", "v0"),
          args("auth", "enable"),
          args("get", "foo"),
          args("put", "foo", "v1"),
          args("get", "foo", ALICE),
          args("get", "foo", "--user=alice:wrong"),
          args("get", "foo", "--user=ghost:pw"),
          args("put", "foo", "v2", ALICE),
          args("put", "pre/a", "1", ALICE),
          args("get", "pre/", "--prefix", ALICE),
          args("get", "pre/", "--prefix", "--keys-only", ALICE),
          args("put", "k3", "x", ALICE),
          args("get", "k3", ALICE),
          args("get", "a", "--prefix", ALICE),
          args("get", "zebra", ALICE),
          args("get", "z", "--from-key", ALICE),
          args("del", "pre/a", ALICE),
          args("del", "foo", ALICE),
          args("txn", ALICE),
          args("compaction", "1", ALICE),
          args("user", "list", ALICE),
          args("role", "list", ALICE),
          args("user", "get", "alice", ALICE),
          args("role", "get", "reader", ALICE),
          args("user", "add", "bob", "--new-user-password=b", ALICE),
          args("user", "list", ROOT),
          args("role", "list", ROOT),
          args("role", "get", "root", ROOT),
          args("user", "get", "root", ROOT),
          args("get", "foo", ROOT),
          args("user", "delete", "root", ROOT),
          args("role", "delete", "root", ROOT),
          args("user", "revoke-role", "root", "root", ROOT),
          args("role", "revoke-permission", "reader", "foo", ROOT),
          args("role", "revoke-permission", "reader", "foo", ROOT),
          args("role", "revoke-permission", "reader", "k1", "k5", ROOT),
          args("role", "get", "reader", ROOT),
          args("get", "foo", ALICE),
          args("user", "passwd", "alice", "--interactive=false", ROOT),
          args("get", "pre/", "--prefix", ALICE),
          args("user", "revoke-role", "alice", "reader", ROOT),
          args("user", "revoke-role", "alice", "reader", ROOT),
          args("user", "grant-role", "alice", "reader", ROOT),
          args("role", "delete", "reader", ROOT),
          args("user", "get", "alice", ROOT),
          args("role", "delete", "reader", ROOT),
          args("user", "delete", "nobody", ROOT),
          args("user", "delete", "alice", ROOT),
          args("auth", "disable"),
          args("auth", "disable", ROOT),
          args("get", "foo"),
          args("user", "list"),
          args("user", "delete", "root"),
          args("role", "delete", "root"),
          args("role", "list"));

  static String[] args(String... a) {
    return a;
  }

  @Test
  void etcdctlAuthCommandsPrintTheSameAsAgainstRealEtcd() throws Exception {
    assertThat(Etcdctl.available()).as("etcdctl on PATH (Debian etcd-client)").isTrue();
    assertThat(RealEtcd.available()).as("etcd on PATH (Debian etcd-server)").isTrue();
    List<String> reference;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), "auth-compat")) {
      reference = runAll(etcd.endpoint(), etcd.port());
    }
    List<String> ours;
    try (InProcessMember member =
        InProcessMember.startWith(dir.resolve("pekko"), "auth-compat", "--bcrypt-cost=4")) {
      ours = runAll("127.0.0.1:" + member.port(), member.port());
    }
    Path out = Path.of("target", "etcdctl-compat");
    Files.createDirectories(out);
    Files.writeString(out.resolve("auth-etcd.txt"), String.join("\n", reference));
    Files.writeString(out.resolve("auth-pekko-etcd.txt"), String.join("\n", ours));
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < reference.size(); i++) {
      soft.assertThat(ours.get(i)).isEqualTo(reference.get(i));
    }
    soft.assertAll();
  }

  private static List<String> runAll(String endpoint, int clientPort) throws Exception {
    List<String> out = new ArrayList<>();
    for (String[] step : STEPS) {
      // user passwd reads the new password from stdin
      String stdin =
          step[0].equals("txn")
              ? "\nput pre/t 1\n\nput foo 1\n\n"
              : step.length > 1 && step[1].equals("passwd") ? "alicepw2\n" : null;
      Etcdctl.Result r = Etcdctl.run(endpoint, stdin, step);
      String text = "$ etcdctl " + String.join(" ", step) + "\nexit " + r.exitCode() + "\n";
      // etcdctl's own log lines carry a timestamp and a random client id
      out.add(
          (text + r.output())
              .replace(String.valueOf(clientPort), "<port>")
              .replaceAll("\"ts\":\"[^\"]*\"", "\"ts\":<ts>")
              .replaceAll("client-[0-9a-f-]{36}", "client-<uuid>"));
    }
    return out;
  }
}
