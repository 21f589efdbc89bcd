package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.cluster.LocalCluster;
import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's acceptance, black-box: {@code deploy/local-cluster.sh start} brings up three member
 * processes from the built distribution, and real etcdctl, one endpoint at a time, sees one
 * cluster: a put through any member is read through every other; exactly one leader, and once
 * writes stop the same Raft term and index everywhere; after the leader is killed with SIGKILL a
 * survivor leads and takes writes; the killed member, started again by the script, catches up until
 * its {@code endpoint hashkv} equals the others' at the same revision.
 */
@Tag("distribution")
class LocalClusterEtcdctlTest {
  @TempDir Path dir;

  static final Duration START = Duration.ofSeconds(60);
  static final Duration SETTLE = Duration.ofSeconds(30);

  @Test
  void etcdctlSeesOneClusterThroughEveryMemberAcrossALeaderKill() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir)) {
      cluster.startHealthy(START);

      // A put through each member is read through each other member.
      for (int i = 0; i < 3; i++) {
        String key = "written-through/" + LocalCluster.NAMES.get(i);
        Etcdctl.Result put = Etcdctl.run(cluster.endpoint(i), null, "put", key, "v" + i);
        assertThat(put.output()).as("put through %s", LocalCluster.NAMES.get(i)).isEqualTo("OK\n");
        for (int j = 0; j < 3; j++) {
          if (j != i) {
            Etcdctl.Result get = Etcdctl.run(cluster.endpoint(j), null, "get", key);
            assertThat(get.output())
                .as("read through %s", LocalCluster.NAMES.get(j))
                .isEqualTo(key + "\nv" + i + "\n");
          }
        }
      }

      // Exactly one leader; with writes stopped, every member reaches the same term and index.
      List<LocalCluster.Status> settled = cluster.awaitSettled(SETTLE);
      LocalCluster.Status leader =
          settled.stream().filter(LocalCluster.Status::isLeader).findFirst().orElseThrow();
      int killed = cluster.indexOfEndpoint(leader.endpoint());
      String killedName = LocalCluster.NAMES.get(killed);

      // kill -9 the leader: a survivor becomes leader and writes through the survivors succeed.
      cluster.kill9(killedName);
      List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
      survivors.remove(Integer.valueOf(killed));
      String survivorEndpoints =
          cluster.endpoint(survivors.get(0)) + "," + cluster.endpoint(survivors.get(1));
      Poll.until(
          SETTLE,
          "a new leader among the survivors after killing " + killedName,
          () ->
              cluster.status(survivorEndpoints).stream()
                  .anyMatch(s -> s.isLeader() && !s.memberId().equals(leader.memberId())));
      for (int n = 0; n < 10; n++) {
        Etcdctl.Result put =
            Etcdctl.run(survivorEndpoints, null, "put", "after-failover/" + n, "v" + n);
        assertThat(put.output()).as("put %d through the survivors", n).isEqualTo("OK\n");
      }

      // The killed member, started again from its data, catches up with the others.
      assertThat(cluster.start()).contains(killedName + " started");
      AtomicReference<List<LocalCluster.HashKv>> hashes = new AtomicReference<>();
      Poll.until(
          START,
          () ->
              killedName
                  + "'s hashkv equal to the others' at the same revision; last seen "
                  + hashes.get(),
          () -> {
            List<LocalCluster.HashKv> all = cluster.hashKv();
            hashes.set(all);
            return all.size() == 3
                && all.stream().map(LocalCluster.HashKv::revision).distinct().count() == 1
                && all.stream().map(LocalCluster.HashKv::hash).distinct().count() == 1;
          });
      Etcdctl.Result read = Etcdctl.run(cluster.endpoint(killed), null, "get", "after-failover/9");
      assertThat(read.output()).isEqualTo("after-failover/9\nv9\n");

      assertThat(cluster.stop()).contains("infra1 stopped", "infra2 stopped", "infra3 stopped");
      for (String name : LocalCluster.NAMES) {
        assertThat(cluster.process(name)).as("%s after stop", name).isEmpty();
      }
    }
  }
}
