package io.pekkoetcd.testkit.raftsim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of 3- and 5-member clusters (odd seeds run 5 members). Properties: {@code
 * -Draft.sim.seeds=N} (default 1000), {@code -Draft.sim.steps=N} (default 5000), {@code
 * -Draft.sim.seed=N} replays one seed with an event trace, {@code -Draft.sim.firstSeed=N} shifts
 * the range.
 */
class RaftSimulationTest {

  private static final int SEEDS = Integer.getInteger("raft.sim.seeds", 1000);
  private static final int STEPS = Integer.getInteger("raft.sim.steps", 5000);
  private static final long FIRST_SEED = Long.getLong("raft.sim.firstSeed", 1);
  private static final Long ONE_SEED = Long.getLong("raft.sim.seed");

  /**
   * Odd seeds run 5 members, even seeds 3; every third seed keeps the membership fixed (stronger
   * checks).
   */
  static SimOptions optionsFor(long seed) {
    return SimOptions.of(seed % 2 == 1 ? 5 : 3, STEPS).withMembershipChanges(seed % 3 != 0);
  }

  @Test
  void safetyAndLivenessAcrossSeeds() {
    if (ONE_SEED != null) {
      RaftSimulation.Result r =
          new RaftSimulation(ONE_SEED, optionsFor(ONE_SEED).withTrace(true)).run();
      System.out.println("[raft-sim] replayed " + r);
      return;
    }
    long start = System.nanoTime();
    long steps = 0;
    long committed = 0;
    long reads = 0;
    for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      RaftSimulation.Result r = new RaftSimulation(seed, optionsFor(seed)).run();
      steps += r.steps();
      committed += r.committed();
      reads += r.readsAnswered();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "[raft-sim] %d seeds x %d steps: %d steps in %.1f s = %.0f steps/s; %d entries committed,"
            + " %d reads answered%n",
        SEEDS, STEPS, steps, seconds, steps / seconds, committed, reads);
    assertThat(committed).isPositive();
    assertThat(reads).isPositive();
  }

  @Test
  void sameSeedSameRun() {
    SimOptions options = SimOptions.of(5, 2000);
    assertThat(new RaftSimulation(42, options).run())
        .isEqualTo(new RaftSimulation(42, options).run());
  }
}
