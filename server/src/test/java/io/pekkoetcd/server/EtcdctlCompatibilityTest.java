package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same etcdctl 3.4 command sequence against real etcd 3.4 and against pekko-etcd, both fresh:
 * the outputs must be identical once what is inherently per-server is masked (member and cluster
 * IDs, ports, durations, db sizes, the server version and the Raft indexes, which count etcd's
 * internal entries).
 */
class EtcdctlCompatibilityTest {
  @TempDir Path dir;

  /**
   * One etcdctl run; {@code scheme}: the endpoint is written as users write it, {@code
   * http://host:port}.
   */
  record Step(String stdin, boolean scheme, String[] args) {
    static Step of(String... args) {
      return new Step(null, false, args);
    }

    static Step withInput(String stdin, String... args) {
      return new Step(stdin, false, args);
    }

    static Step withScheme(String... args) {
      return new Step(null, true, args);
    }

    @Override
    public String toString() {
      return "etcdctl " + (scheme ? "--endpoints=http://... " : "") + String.join(" ", args);
    }
  }

  static final String TXN =
      String.join(
          "\n",
          "mod(\"foo\") > \"0\"",
          "val(\"zoo\") = \"z\"",
          "ver(\"zoo\") = \"1\"",
          "create(\"zoo\") != \"0\"",
          "",
          "put foo \"from-txn\"",
          "get zoo",
          "del foo2",
          "",
          "put else-branch x",
          "",
          "");

  static final String FAILING_TXN =
      String.join(
          "\n", "value(\"zoo\") = \"nope\"", "", "put never x", "", "get zoo", "del zoo", "", "");

  static final List<Step> STEPS =
      List.of(
          Step.of("put", "foo", "bar"),
          Step.of("put", "foo", "bar2", "--prev-kv"),
          Step.of("put", "foo1", "v1"),
          Step.of("put", "foo2", "v2"),
          Step.of("put", "zoo", "z"),
          Step.of("put", "foo", "bar3"),
          Step.of("get", "foo"),
          Step.of("get", "foo", "foo2"),
          Step.of("get", "foo", "--prefix"),
          Step.of("get", "foo1", "--from-key"),
          Step.of("get", "foo", "--prefix", "--keys-only"),
          Step.of("get", "foo", "--prefix", "--limit", "2"),
          Step.of("get", "foo", "--rev", "2"),
          Step.of("get", "foo", "--prefix", "--sort-by=MODIFY", "--order=DESCEND"),
          Step.of("get", "foo", "--prefix", "--sort-by=VALUE", "--order=ASCEND"),
          Step.of("get", "foo", "--prefix", "--sort-by=CREATE", "--order=DESCEND"),
          Step.of("get", "foo", "--prefix", "--sort-by=VERSION", "--order=DESCEND"),
          Step.of("get", "foo", "-w", "json"),
          Step.of("get", "foo", "--prefix", "--limit", "1", "-w", "json"),
          Step.of("get", "foo", "--prefix", "--count-only", "-w", "json"),
          Step.of("get", "nothing"),
          Step.withInput(TXN, "txn"),
          Step.withInput(FAILING_TXN, "txn", "-w", "json"),
          Step.withInput(TXN, "txn", "-i"),
          Step.of("del", "foo1"),
          Step.of("del", "nothing"),
          Step.of("put", "foo3", "v3"),
          Step.of("del", "foo", "--prefix", "--prev-kv"),
          Step.of("get", "", "--prefix"),
          Step.of("get", "", "--from-key", "-w", "json"),
          Step.of("compaction", "4"),
          Step.of("get", "foo", "--rev", "3"),
          Step.of("get", "foo", "--rev", "4"),
          Step.of("get", "foo", "--rev", "1000"),
          Step.of("compaction", "4"),
          Step.of("compaction", "1000"),
          Step.of("put", "", "v"),
          Step.of("endpoint", "health"),
          Step.of("endpoint", "status", "-w", "table"),
          Step.of("member", "list", "-w", "table"),
          // Maintenance calls send ":authority: http://..." when the endpoint has a scheme
          // (docs/authority-fix.md).
          Step.withScheme("endpoint", "status", "-w", "table"),
          Step.withScheme("endpoint", "health"),
          Step.withScheme("member", "list"),
          Step.withScheme("put", "scheme", "works"),
          Step.withScheme("get", "scheme"),
          Step.withScheme("endpoint", "status"),
          Step.withScheme("endpoint", "hashkv"),
          Step.withScheme("del", "scheme"),
          Step.withScheme("compaction", "5"));

  @Test
  void etcdctlPrintsTheSameAsAgainstRealEtcd() throws Exception {
    assertThat(Etcdctl.available()).as("etcdctl on PATH (Debian etcd-client)").isTrue();
    assertThat(RealEtcd.available()).as("etcd on PATH (Debian etcd-server)").isTrue();
    List<String> reference;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), "compat")) {
      reference = runAll(etcd.endpoint(), etcd.port(), etcd.peerPort());
    }
    List<String> ours;
    try (InProcessMember member = InProcessMember.start(dir.resolve("pekko"), "compat")) {
      ours = runAll("127.0.0.1:" + member.port(), member.port(), member.peerPort());
    }
    writeTranscript("etcd.txt", reference);
    writeTranscript("pekko-etcd.txt", ours);
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < STEPS.size(); i++) {
      soft.assertThat(ours.get(i)).as(STEPS.get(i).toString()).isEqualTo(reference.get(i));
    }
    soft.assertAll();
  }

  /** Both transcripts go to target/etcdctl-compat/ for a reader to diff. */
  private static void writeTranscript(String name, List<String> outputs)
      throws java.io.IOException {
    Path out = Path.of("target", "etcdctl-compat");
    java.nio.file.Files.createDirectories(out);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < STEPS.size(); i++) {
      b.append("$ ").append(STEPS.get(i)).append('\n').append(outputs.get(i)).append('\n');
    }
    java.nio.file.Files.writeString(out.resolve(name), b.toString());
  }

  private static List<String> runAll(String endpoint, int clientPort, int peerPort)
      throws Exception {
    String status = Etcdctl.run(endpoint, null, "endpoint", "status", "-w", "json").output();
    String memberId = group(status, "\"member_id\":(\\d+)");
    String clusterId = group(status, "\"cluster_id\":(\\d+)");
    List<String> out = new ArrayList<>();
    for (Step step : STEPS) {
      String target = step.scheme() ? "http://" + endpoint : endpoint;
      Etcdctl.Result r = Etcdctl.run(target, step.stdin(), step.args());
      String text = "exit " + r.exitCode() + "\n" + r.output();
      out.add(normalize(text, memberId, clusterId, clientPort, peerPort));
    }
    return out;
  }

  static String normalize(
      String s, String memberId, String clusterId, int clientPort, int peerPort) {
    String hexMember = Long.toHexString(Long.parseUnsignedLong(memberId));
    String hexCluster = Long.toHexString(Long.parseUnsignedLong(clusterId));
    s = s.replace(memberId, "<member-id>").replace(clusterId, "<cluster-id>");
    s = s.replace(hexMember, "<member-id>").replace(hexCluster, "<cluster-id>");
    s = s.replace(":" + clientPort, ":<client-port>").replace(":" + peerPort, ":<peer-port>");
    s = s.replaceAll("took = [0-9.]+[a-zµ]*s", "took = <t>");
    // etcdctl's own log lines carry a timestamp and a random client id.
    s =
        s.replaceAll("\"ts\":\"[^\"]*\"", "\"ts\":<ts>")
            .replaceAll("client-[0-9a-f-]{36}", "client-<uuid>");
    // endpoint hashkv: the hash covers each server's own storage layout.
    s = s.replaceAll("(?m)^(\\S+:<client-port>), \\d+$", "$1, <hash>");
    // Tables: column widths follow the (masked) contents, so padding is folded below.
    // endpoint status table: | endpoint | ID | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT
    // TERM | RAFT INDEX |
    // RAFT APPLIED INDEX | ERRORS |
    Matcher m =
        Pattern.compile(
                "(?m)^(\\| [^|]+\\| <member-id> \\|) *[^|]+\\| *[^|]+\\|(.*\\|)( *\\d+ \\| *\\d+ \\|)( *[^|]*\\|)$")
            .matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          b,
          Matcher.quoteReplacement(
              m.group(1)
                  + " <version> | <db-size> |"
                  + m.group(2)
                  + " <index> | <index> |"
                  + m.group(4)));
    }
    m.appendTail(b);
    // endpoint status, simple format: endpoint, ID, version, db size, leader, learner, term, index,
    // applied, errors
    String simple =
        b.toString()
            .replaceAll(
                "(?m)^([^,\\n]+, <member-id>), [^,]+, [^,]+, (true|false), (true|false), (\\d+), \\d+, \\d+, ",
                "$1, <version>, <db-size>, $2, $3, $4, <index>, <index>, ");
    return simple.replaceAll("(?m)^(\\+-+)+\\+$", "<rule>").replaceAll(" *\\| *", " | ");
  }

  private static String group(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in " + s);
    }
    return m.group(1);
  }
}
