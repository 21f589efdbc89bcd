package io.pekkoetcd.multijvm.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.multijvm.harness.MemberCluster;
import io.pekkoetcd.multijvm.workload.ScenarioChecks;
import io.pekkoetcd.multijvm.workload.ScenarioRun;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Faults that change while the clients run: partitions flapping between random shapes, and a member
 * killed and restarted inside a partition (it recovers from its own WAL with no peer to reach; what
 * it answers then is probed).
 */
class FlappingAndRestartScenariosTest {
  /** How long the partitions flap, and how long each shape lasts. */
  static final Duration FLAPPING = Duration.ofSeconds(30);

  static final Duration SHAPE = Duration.ofMillis(2_500);

  @Test
  void flappingPartitions() throws Exception {
    try (ScenarioRun run = ScenarioRun.start("flapping", 3)) {
      MemberCluster c = run.cluster();
      Random random = new Random(Long.getLong("mjvm.seed", System.nanoTime()));
      long end = System.nanoTime() + FLAPPING.toNanos();
      while (System.nanoTime() < end) {
        int shape = random.nextInt(3);
        int a = random.nextInt(3);
        int b = (a + 1 + random.nextInt(2)) % 3;
        run.firewall().heal();
        if (shape == 0) {
          run.fault(
              "m" + (a + 1) + " isolated",
              () -> run.firewall().partition(List.of(c.address(a)), c.addressesExcept(a)));
        } else if (shape == 1) {
          run.fault(
              "m" + (a + 1) + "→m" + (b + 1) + " dropped (one way)",
              () -> run.firewall().dropOneWay(c.address(a), c.address(b)));
        } else {
          run.fault("healed", () -> {});
        }
        run.hold(SHAPE);
      }
      run.heal(run.firewall()::heal);
      ScenarioChecks.assertSafeAndLive(run.finish(), true);
    }
  }

  @Test
  void memberRestartedDuringAPartition() throws Exception {
    try (ScenarioRun run = ScenarioRun.start("restart-in-partition", 3)) {
      MemberCluster c = run.cluster();
      int leader = c.awaitLeader(Duration.ofSeconds(30));
      int victim = (leader + 1) % 3;
      run.fault(
          "follower m" + (victim + 1) + " isolated",
          () -> run.firewall().partition(List.of(c.address(victim)), c.addressesExcept(victim)));
      run.hold(Duration.ofSeconds(2));
      run.fault("kill -9 m" + (victim + 1), () -> c.member(victim).kill9());
      run.hold(Duration.ofSeconds(2));
      run.fault("m" + (victim + 1) + " restarted, still isolated", () -> c.start(victim));
      // From its start on: the restarted member has no quorum, so a linearizable read through it
      // must wait or fail, never answer (stale) data.
      ScenarioRun.ProbeResult probe = run.probeReads(victim, Duration.ofSeconds(15));
      System.out.println("restart-in-partition: reads through the restarted member " + probe);
      assertThat(probe.ok()).as("linearizable reads answered by an isolated member").isZero();
      assertThat(probe.failed()).as("reads tried through the restarted member").isPositive();
      run.heal(run.firewall()::heal);
      ScenarioChecks.assertSafeAndLive(run.finish(), true);
    }
  }
}
