package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.etcdctl.EtcdctlWatch;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code etcdctl watch} sessions (key, --prefix, a range, --rev, --prev-kv, -w json, -i
 * with progress, a watch from a compacted revision) with the same writes against real etcd 3.4 and
 * against pekko-etcd: the normalized transcripts of every watch process must be identical.
 *
 * <p>Every watch that must not miss a write starts at an explicit revision (or, in -i, is confirmed
 * by a progress answer), so no transcript depends on when etcdctl got its watch registered. Each
 * process is stopped only once it printed the last write ({@code put foo END}).
 */
class WatchEtcdctlCompatibilityTest {
  @TempDir Path dir;

  static final Duration WAIT = Duration.ofSeconds(20);
  static final String TXN =
      String.join("\n", "", "put foo2 t2", "put foo3 t3", "del foo1", "", "", "");

  @Test
  void etcdctlWatchPrintsTheSameAsAgainstRealEtcd() throws Exception {
    assertThat(Etcdctl.available()).as("etcdctl on PATH (Debian etcd-client)").isTrue();
    assertThat(RealEtcd.available()).as("etcd on PATH (Debian etcd-server)").isTrue();
    Map<String, String> reference;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), "watch-compat")) {
      reference = session(etcd.endpoint(), etcd.port(), etcd.peerPort());
    }
    Map<String, String> ours;
    try (InProcessMember member = InProcessMember.start(dir.resolve("pekko"), "watch-compat")) {
      ours = session("127.0.0.1:" + member.port(), member.port(), member.peerPort());
    }
    write("etcd.txt", reference);
    write("pekko-etcd.txt", ours);
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(ours.keySet()).containsExactlyElementsOf(reference.keySet());
    for (String k : reference.keySet()) {
      soft.assertThat(ours.get(k)).as(k).isEqualTo(reference.get(k));
    }
    soft.assertAll();
  }

  private static Map<String, String> session(String endpoint, int clientPort, int peerPort)
      throws Exception {
    String status = Etcdctl.run(endpoint, null, "endpoint", "status", "-w", "json").output();
    String memberId = group(status, "\"member_id\":(\\d+)");
    String clusterId = group(status, "\"cluster_id\":(\\d+)");
    Map<String, String> out = new LinkedHashMap<>();
    ctl(endpoint, null, "put", "foo", "a"); // 2
    ctl(endpoint, null, "put", "foo", "b"); // 3
    ctl(endpoint, null, "put", "foo1", "x"); // 4
    ctl(endpoint, null, "del", "foo"); // 5
    Map<String, EtcdctlWatch> watches = new LinkedHashMap<>();
    watches.put(
        "watch foo --rev 2 --prev-kv",
        EtcdctlWatch.start(endpoint, "foo", "--rev", "2", "--prev-kv"));
    watches.put(
        "watch foo --prefix --rev 3",
        EtcdctlWatch.start(endpoint, "foo", "--prefix", "--rev", "3"));
    watches.put(
        "watch foo foo2 --rev 1 -w json",
        EtcdctlWatch.start(endpoint, "foo", "foo2", "--rev", "1", "-w", "json"));
    watches.put(
        "watch --prefix foo --rev 6 --prev-kv -w json",
        EtcdctlWatch.start(endpoint, "--prefix", "foo", "--rev", "6", "--prev-kv", "-w", "json"));
    watches.put(
        "watch --rev 4 foo1", EtcdctlWatch.start(endpoint, "--rev", "4", "foo1", "-w", "json"));
    EtcdctlWatch interactive = EtcdctlWatch.start(endpoint, "-i");
    watches.put("watch -i", interactive);
    interactive.send("watch foo --prefix");
    // etcdctl sends the create from a goroutine, so the first progress request may overtake it
    // (then neither server
    // prints anything for it); ask again until the answer is printed.
    for (int attempt = 0; !interactive.output().contains("progress notify: 5"); attempt++) {
      assertThat(attempt).as("progress answers").isLessThan(10);
      interactive.send("progress");
      try {
        interactive.awaitCount("progress notify: 5", 1, Duration.ofSeconds(2));
      } catch (AssertionError notYet) {
        // asked too early; ask again
      }
    }
    // JSON shows how events are grouped into responses: let the replays finish before anything is
    // written, so that
    // each is one response at revision 5 on both servers.
    watches
        .get("watch foo foo2 --rev 1 -w json")
        .await(s -> s.contains("\"mod_revision\":5"), WAIT);
    watches.get("watch --rev 4 foo1").await(s -> s.contains("\"mod_revision\":4"), WAIT);
    ctl(endpoint, null, "put", "foo", "c"); // 6
    ctl(endpoint, TXN, "txn", "-i"); // 7: three events in one revision
    ctl(endpoint, null, "put", "zoo", "z"); // 8: nobody watches it
    ctl(endpoint, null, "del", "foo"); // 9
    ctl(endpoint, null, "put", "foo", "END"); // 10
    for (Map.Entry<String, EtcdctlWatch> w : watches.entrySet()) {
      if (!w.getKey().contains("foo1")) {
        w.getValue().await(s -> s.contains("END") || s.contains("RU5E"), WAIT);
      }
    }
    // foo1 was deleted at 7; the watch on it has seen everything once the others have.
    watches.get("watch --rev 4 foo1").await(s -> s.contains("\"mod_revision\":7"), WAIT);
    interactive.send("progress");
    interactive.awaitCount("progress notify: 10", 1, WAIT);
    for (Map.Entry<String, EtcdctlWatch> w : watches.entrySet()) {
      out.put(w.getKey(), w.getValue().stop());
    }
    out.put("compaction 7", ctl(endpoint, null, "compaction", "7"));
    try (EtcdctlWatch compacted = EtcdctlWatch.start(endpoint, "foo", "--rev", "3")) {
      out.put("watch foo --rev 3 (compacted)", compacted.awaitExit(WAIT));
    }
    try (EtcdctlWatch afterCompaction =
        EtcdctlWatch.start(endpoint, "foo", "--rev", "7", "--prev-kv")) {
      afterCompaction.await(s -> s.contains("END"), WAIT);
      out.put("watch foo --rev 7 --prev-kv (compacted at 7)", afterCompaction.stop());
    }
    out.replaceAll(
        (k, v) -> EtcdctlCompatibilityTest.normalize(v, memberId, clusterId, clientPort, peerPort));
    return out;
  }

  private static String ctl(String endpoint, String stdin, String... args) throws Exception {
    Etcdctl.Result r = Etcdctl.run(endpoint, stdin, args);
    assertThat(r.exitCode()).as("etcdctl " + String.join(" ", args) + ": " + r.output()).isZero();
    return r.output();
  }

  private static void write(String name, Map<String, String> transcript)
      throws java.io.IOException {
    Path out = Path.of("target", "etcdctl-watch-compat");
    Files.createDirectories(out);
    StringBuilder b = new StringBuilder();
    transcript.forEach(
        (k, v) -> b.append("$ etcdctl ").append(k).append('\n').append(v).append('\n'));
    Files.writeString(out.resolve(name), b.toString());
  }

  private static String group(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in " + s);
    }
    return m.group(1);
  }
}
