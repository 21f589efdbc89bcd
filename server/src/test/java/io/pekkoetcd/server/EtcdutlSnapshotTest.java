package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.EtcdFlags;
import io.pekkoetcd.testkit.process.Ports;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration both ways through etcd's own snapshot file: real etcd 3.4's snapshot, read by {@code
 * pekko-etcdutl snapshot status} exactly as etcdctl reads it and restored by {@code pekko-etcdutl
 * snapshot restore}, is served by pekko-etcd with the same keys, versions and revisions (and the
 * same compacted revision); pekko-etcd's snapshot, restored by etcd's own {@code etcdctl snapshot
 * restore}, is served by real etcd the same way.
 */
class EtcdutlSnapshotTest {
  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    assumeTrue(Etcdctl.available(), "etcdctl (etcd-client) is not installed");
    assumeTrue(RealEtcd.available(), "etcd (etcd-server) is not installed");
  }

  /** The same writes on any server: puts, overwrites, a delete, a lease, a compaction. */
  private static void write(String endpoint) throws Exception {
    ok(endpoint, "put", "a", "1");
    ok(endpoint, "put", "b", "2");
    ok(endpoint, "put", "a", "3");
    ok(endpoint, "del", "b");
    ok(endpoint, "put", "c", "4");
    ok(endpoint, "compact", "3");
    ok(endpoint, "put", "a", "5");
    String grant = ok(endpoint, "lease", "grant", "600");
    String lease = grant.split(" ")[1];
    ok(endpoint, "put", "d", "6", "--lease=" + lease);
  }

  private static String ok(String endpoint, String... args) throws Exception {
    Etcdctl.Result r = Etcdctl.run(endpoint, null, args);
    assertThat(r.exitCode()).as("etcdctl %s: %s", String.join(" ", args), r.output()).isZero();
    return r.output().strip();
  }

  /** Every key with its revisions and version, and the store's revision. */
  private static String state(String endpoint) throws Exception {
    StringBuilder b = new StringBuilder(KvDump.of(endpoint));
    // the compacted revision: below it etcd refuses, at it answers
    String compacted = Etcdctl.run(endpoint, null, "get", "a", "--rev=2").output().strip();
    b.append(compacted.substring(compacted.lastIndexOf("Error:"))).append('\n');
    b.append(ok(endpoint, "get", "a", "--rev=3", "--print-value-only")).append('\n');
    return b.toString();
  }

  private static String etcdutl(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Etcdutl.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void realEtcdSnapshotRestoredByPekkoEtcdutl() throws Exception {
    Path snapshot = dir.resolve("etcd.db");
    String expected;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), "etcd")) {
      write(etcd.endpoint());
      expected = state(etcd.endpoint());
      ok(etcd.endpoint(), "snapshot", "save", snapshot.toString());
    }
    for (String format : List.of("json", "table", "simple")) {
      Etcdctl.Result real =
          Etcdctl.run("127.0.0.1:1", null, "snapshot", "status", snapshot.toString(), "-w", format);
      assertThat(etcdutl("snapshot", "status", snapshot.toString(), "-w", format))
          .isEqualTo(real.output());
    }
    int client = Ports.freePort();
    int peer = Ports.freePort();
    List<String> flags = EtcdFlags.singleMember("restored", dir.resolve("restored"), client, peer);
    List<String> restore = new ArrayList<>(List.of("snapshot", "restore", snapshot.toString()));
    restore.addAll(flags);
    assertThat(etcdutl(restore.toArray(String[]::new))).contains("restored snapshot");
    try (InProcessMember m =
        InProcessMember.start(dir.resolve("restored"), "restored", client, peer)) {
      m.awaitHealthy(Duration.ofSeconds(30));
      assertThat(state(m.endpoint())).isEqualTo(expected);
    }
  }

  @Test
  void pekkoSnapshotRestoredByEtcdctl() throws Exception {
    Path snapshot = dir.resolve("pekko.db");
    String expected;
    try (InProcessMember m = InProcessMember.start(dir.resolve("pekko"), "pekko")) {
      write(m.endpoint());
      expected = state(m.endpoint());
      ok(m.endpoint(), "snapshot", "save", snapshot.toString());
    }
    int client = Ports.freePort();
    int peer = Ports.freePort();
    String peerUrl = "http://127.0.0.1:" + peer;
    Path data = dir.resolve("etcd-restored");
    ok(
        "127.0.0.1:1",
        "snapshot",
        "restore",
        snapshot.toString(),
        "--name",
        "etcd",
        "--data-dir",
        data.toString(),
        "--initial-cluster",
        "etcd=" + peerUrl,
        "--initial-advertise-peer-urls",
        peerUrl);
    try (RealEtcd etcd = RealEtcd.start(data, "etcd", client, peer)) {
      assertThat(state(etcd.endpoint())).isEqualTo(expected);
    }
  }
}
