package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.cluster.LocalCluster;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that lost its data dir must not rejoin as if nothing happened. Started again with the
 * same flags ({@code --initial-cluster-state new}), it first asks its peers, which know it as a
 * started member: like etcd 3.4, it refuses to start with "member … has already been bootstrapped"
 * and exits non-zero; the other two keep serving. (Had it started a blank log, the leader's first
 * heartbeat would fail it with etcd's raft panic, {@link #TOCOMMIT}.)
 */
@Tag("distribution")
class LocalClusterDataLossTest {
  @TempDir Path dir;

  /**
   * etcd's raft panic, {@code tocommit(%d) is out of range [lastIndex(%d)]. Was the raft log
   * corrupted, …}.
   */
  static final Pattern TOCOMMIT =
      Pattern.compile(
          "tocommit\\(\\d+\\) is out of range \\[lastIndex\\(\\d+\\)\\]\\. "
              + Pattern.quote("Was the raft log corrupted, truncated, or lost?"));

  /** etcd's isMemberBootstrapped refusal. */
  static final Pattern BOOTSTRAPPED =
      Pattern.compile("member [0-9a-f]+ has already been bootstrapped");

  @Test
  void aMemberThatLostItsDataDirExitsWithEtcdsMessageAndTheOthersKeepServing() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir)) {
      cluster.startHealthy(Duration.ofSeconds(60));
      for (int n = 0; n < 20; n++) {
        assertThat(Etcdctl.run(cluster.endpoints(), null, "put", "key/" + n, "v" + n).output())
            .isEqualTo("OK\n");
      }
      LocalCluster.Status follower =
          cluster.awaitSettled(Duration.ofSeconds(30)).stream()
              .filter(s -> !s.isLeader())
              .findFirst()
              .orElseThrow();
      int lost = cluster.indexOfEndpoint(follower.endpoint());
      String name = LocalCluster.NAMES.get(lost);

      cluster.stop(name);
      deleteRecursively(cluster.dataDir(name));
      Path log = dir.resolve(name + "-after-data-loss.log");
      Process member = cluster.run(name, log);
      assertThat(member.waitFor(60, TimeUnit.SECONDS)).as("%s exits; log %s", name, log).isTrue();
      String output = Files.readString(log);
      assertThat(member.exitValue()).as("exit code; log:\n%s", output).isNotZero();
      // etcd 3.4's two outcomes: its peers answer within the bootstrap check's second and it
      // refuses
      // to start, or none does in time (a new incarnation's Artery association can take longer on a
      // loaded machine) and the leader's first heartbeat fails its blank log.
      assertThat(BOOTSTRAPPED.matcher(output).find() || TOCOMMIT.matcher(output).find())
          .as("one of etcd's two refusals in the log:\n%s", output)
          .isTrue();

      String survivors =
          String.join(
              ",", Stream.of(0, 1, 2).filter(i -> i != lost).map(cluster::endpoint).toList());
      assertThat(Etcdctl.run(survivors, null, "put", "after-loss", "x").output()).isEqualTo("OK\n");
      for (int i = 0; i < 3; i++) {
        if (i != lost) {
          assertThat(Etcdctl.run(cluster.endpoint(i), null, "get", "key/19").output())
              .isEqualTo("key/19\nv19\n");
          assertThat(Etcdctl.run(cluster.endpoint(i), null, "get", "after-loss").output())
              .isEqualTo("after-loss\nx\n");
        }
      }
    }
  }

  private static void deleteRecursively(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
