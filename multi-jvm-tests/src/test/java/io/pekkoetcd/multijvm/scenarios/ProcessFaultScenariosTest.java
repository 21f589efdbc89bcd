package io.pekkoetcd.multijvm.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.multijvm.harness.MemberCluster;
import io.pekkoetcd.multijvm.workload.ScenarioChecks;
import io.pekkoetcd.multijvm.workload.ScenarioRun;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Process faults under concurrent clients on three members: kill -9 and restart of random members,
 * and a leader frozen (SIGSTOP) past the election timeout, like a long GC pause.
 */
class ProcessFaultScenariosTest {
  @Test
  void randomMembersKilledAndRestarted() throws Exception {
    try (ScenarioRun run = ScenarioRun.start("kill-9-random", 3)) {
      MemberCluster c = run.cluster();
      Random random = new Random(Long.getLong("mjvm.seed", System.nanoTime()));
      for (int round = 0; round < 2; round++) {
        int victim = random.nextInt(c.size());
        run.fault("kill -9 m" + (victim + 1), () -> c.member(victim).kill9());
        run.hold(Duration.ofSeconds(2));
        run.heal(() -> c.start(victim));
      }
      // The last restart is probed from the moment the JVM starts until it has answered 20 reads:
      // while it recovers its WAL and catches up, a linearizable read through it must wait or fail,
      // never answer stale data (the probe's reads are in the checked history).
      int victim = random.nextInt(c.size());
      run.fault("kill -9 m" + (victim + 1), () -> c.member(victim).kill9());
      run.hold(Duration.ofSeconds(2));
      run.fault("m" + (victim + 1) + " restarted", () -> c.start(victim));
      ScenarioRun.ProbeResult probe = run.probeReads(victim, Duration.ofSeconds(60), 20);
      System.out.println(
          "kill-9-random: reads through m"
              + (victim + 1)
              + " from its restart until 20 were answered "
              + probe
              + "; its log after the start: "
              + c.member(victim).startupOrder());
      assertThat(probe.ok())
          .as("the restarted member serves linearizable reads again")
          .isPositive();
      run.heal(() -> {});
      ScenarioChecks.assertSafeAndLive(run.finish(), true);
    }
  }

  @Test
  void leaderPausedPastTheElectionTimeout() throws Exception {
    try (ScenarioRun run = ScenarioRun.start("leader-paused", 3)) {
      MemberCluster c = run.cluster();
      int leader = c.awaitLeader(Duration.ofSeconds(30));
      run.fault("SIGSTOP leader m" + (leader + 1), () -> c.member(leader).pause());
      run.hold(Duration.ofMillis(4L * MemberCluster.ELECTION_TIMEOUT_MS));
      run.heal(() -> c.member(leader).resume());
      ScenarioChecks.assertSafeAndLive(run.finish(), true);
    }
  }
}
