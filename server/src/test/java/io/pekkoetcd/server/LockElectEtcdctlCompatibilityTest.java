package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.etcdctl.EtcdctlWatch;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcdctl 3.4's {@code lock} and {@code elect} (client-side recipes over leases, txns, sorted
 * ranges with max_create_revision and watches) against real etcd 3.4 and pekko-etcd: a second
 * locker and a second candidate wait until the first goes, an observer ({@code elect -l}) sees both
 * leaders; the transcripts must be equal once lease IDs in keys are masked.
 */
class LockElectEtcdctlCompatibilityTest {
  @TempDir Path dir;

  static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void etcdctlLockAndElectPrintTheSameAsAgainstRealEtcd() throws Exception {
    assertThat(Etcdctl.available()).isTrue();
    assertThat(RealEtcd.available()).isTrue();
    List<String> reference;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), "lock-compat")) {
      reference = runAll(etcd.endpoint());
    }
    List<String> ours;
    try (InProcessMember member = InProcessMember.start(dir.resolve("pekko"), "lock-compat")) {
      ours = runAll("127.0.0.1:" + member.port());
    }
    Path out = Path.of("target", "etcdctl-compat");
    java.nio.file.Files.createDirectories(out);
    java.nio.file.Files.writeString(
        out.resolve("lock-elect-etcd.txt"), String.join("\n", reference));
    java.nio.file.Files.writeString(
        out.resolve("lock-elect-pekko-etcd.txt"), String.join("\n", ours));
    assertThat(ours).isEqualTo(reference);
  }

  private static List<String> runAll(String endpoint) throws Exception {
    List<String> out = new ArrayList<>();
    // lock: the second waits for the first, then runs its command and exits
    try (EtcdctlWatch first = EtcdctlWatch.command(endpoint, "lock", "mtx")) {
      first.await(o -> o.contains("mtx/"), WAIT);
      try (EtcdctlWatch second =
          EtcdctlWatch.command(endpoint, "lock", "mtx", "echo", "second-holds-it")) {
        // the second's key exists (it waits behind the first)
        io.pekkoetcd.testkit.cluster.Poll.until(
            WAIT,
            () -> "two keys under mtx/: " + keys(endpoint, "mtx/") + " second: " + second.output(),
            () -> count(endpoint, "mtx/") == 2);
        out.add("second while first holds: [" + second.output() + "]");
        out.add("first: " + first.stop());
        out.add("second: " + second.awaitExit(WAIT));
      }
    }
    out.add("keys after: " + count(endpoint, "mtx/"));
    // elect: an observer, a leader, a waiting candidate
    try (EtcdctlWatch observer = EtcdctlWatch.command(endpoint, "elect", "-l", "ballot");
        EtcdctlWatch leader = EtcdctlWatch.command(endpoint, "elect", "ballot", "p1")) {
      leader.await(o -> o.contains("p1"), WAIT);
      observer.await(o -> o.contains("p1"), WAIT);
      try (EtcdctlWatch candidate = EtcdctlWatch.command(endpoint, "elect", "ballot", "p2")) {
        ThreeMemberCluster.await(
            WAIT, "two candidates under ballot/", () -> count(endpoint, "ballot/") == 2);
        out.add("candidate while p1 leads: [" + candidate.output() + "]");
        out.add("leader: " + leader.stop());
        candidate.await(o -> o.contains("p2"), WAIT);
        observer.await(o -> o.contains("p2"), WAIT);
        // the observer first: stopping the candidate resigns, and an observer killed while it
        // reads the next leader would print its canceled call (against either server)
        out.add("observer: " + observer.stop());
        out.add("candidate: " + candidate.stop());
      }
    }
    return out.stream().map(LockElectEtcdctlCompatibilityTest::mask).toList();
  }

  private static String keys(String endpoint, String prefix) {
    try {
      return Etcdctl.run(endpoint, null, "get", prefix, "--prefix", "--keys-only").output();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static long count(String endpoint, String prefix) {
    return keys(endpoint, prefix).lines().filter(l -> l.startsWith(prefix)).count();
  }

  static String mask(String s) {
    return s.replaceAll("(mtx|ballot)/[0-9a-f]+", "$1/<lease>");
  }
}
