package io.pekkoetcd.multijvm.scenarios;

import io.pekkoetcd.multijvm.harness.MemberCluster;
import io.pekkoetcd.multijvm.workload.ScenarioChecks;
import io.pekkoetcd.multijvm.workload.ScenarioRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Network partitions (iptables) under concurrent clients on three members: the partitioned side
 * must not answer stale or lost data; the side with a quorum must go on serving; after healing,
 * everything converges and the history is linearizable.
 */
class PartitionScenariosTest {
  /** How long each partition lasts: several election timeouts. */
  static final Duration PARTITION = Duration.ofSeconds(6);

  @Test
  void leaderIsolated() throws Exception {
    try (ScenarioRun run = ScenarioRun.start("leader-isolated", 3)) {
      isolateTheLeader(run);
      run.hold(PARTITION);
      run.heal(run.firewall()::heal);
      ScenarioChecks.assertSafeAndLive(run.finish(), true);
    }
  }

  @Test
  void followerMinorityPartitioned() throws Exception {
    try (ScenarioRun run = ScenarioRun.start("minority-partition", 3)) {
      MemberCluster c = run.cluster();
      int leader = c.awaitLeader(Duration.ofSeconds(30));
      int follower = (leader + 1) % c.size();
      run.fault(
          "follower m" + (follower + 1) + " cut from the majority",
          () ->
              run.firewall().partition(List.of(c.address(follower)), c.addressesExcept(follower)));
      run.hold(PARTITION);
      run.heal(run.firewall()::heal);
      ScenarioChecks.assertSafeAndLive(run.finish(), true);
    }
  }

  /** Cuts the current leader from every other member, both ways. */
  static void isolateTheLeader(ScenarioRun run) throws Exception {
    MemberCluster c = run.cluster();
    int leader = c.awaitLeader(Duration.ofSeconds(30));
    run.fault(
        "leader m" + (leader + 1) + " isolated",
        () -> run.firewall().partition(List.of(c.address(leader)), c.addressesExcept(leader)));
  }
}
