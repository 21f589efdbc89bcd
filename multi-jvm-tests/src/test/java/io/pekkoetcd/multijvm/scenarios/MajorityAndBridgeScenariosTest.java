package io.pekkoetcd.multijvm.scenarios;

import io.pekkoetcd.multijvm.harness.MemberCluster;
import io.pekkoetcd.multijvm.workload.ScenarioChecks;
import io.pekkoetcd.multijvm.workload.ScenarioRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Partitions that need five members: the leader and one follower cut from the other three (the
 * majority loses its leader and must elect one of its own), and a bridge (two sides that cannot see
 * each other, and one member that sees both — Jepsen's bridge).
 */
class MajorityAndBridgeScenariosTest {
  @Test
  void majorityLosesTheLeader() throws Exception {
    try (ScenarioRun run = ScenarioRun.start("majority-loses-leader", 5)) {
      MemberCluster c = run.cluster();
      int leader = c.awaitLeader(Duration.ofSeconds(30));
      List<Integer> minority = List.of(leader, (leader + 1) % 5);
      List<Integer> majority = rest(minority);
      run.fault(
          "leader m" + (leader + 1) + " and m" + (minority.get(1) + 1) + " cut from the other 3",
          () -> run.firewall().partition(c.addresses(minority), c.addresses(majority)));
      run.hold(PartitionScenariosTest.PARTITION);
      run.heal(run.firewall()::heal);
      ScenarioChecks.assertSafeAndLive(run.finish(), true);
    }
  }

  @Test
  void bridge() throws Exception {
    try (ScenarioRun run = ScenarioRun.start("bridge", 5)) {
      MemberCluster c = run.cluster();
      int leader = c.awaitLeader(Duration.ofSeconds(30));
      List<Integer> sideA = List.of(leader, (leader + 1) % 5);
      int bridge = (leader + 2) % 5;
      List<Integer> sideB = List.of((leader + 3) % 5, (leader + 4) % 5);
      run.fault(
          "bridge m" + (bridge + 1) + " between " + names(sideA) + " and " + names(sideB),
          () -> run.firewall().partition(c.addresses(sideA), c.addresses(sideB)));
      run.hold(PartitionScenariosTest.PARTITION);
      run.heal(run.firewall()::heal);
      ScenarioChecks.assertSafeAndLive(run.finish(), true);
    }
  }

  /** The five members' indexes not in {@code taken}. */
  private static List<Integer> rest(List<Integer> taken) {
    List<Integer> out = new ArrayList<>();
    for (int m = 0; m < 5; m++) {
      if (!taken.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  private static String names(List<Integer> members) {
    return members.stream().map(m -> "m" + (m + 1)).toList().toString();
  }
}
