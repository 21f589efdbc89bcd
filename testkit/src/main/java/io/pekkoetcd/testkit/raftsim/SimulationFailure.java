package io.pekkoetcd.testkit.raftsim;

/** An invariant broke in a simulated run; the message names the seed that replays it. */
public final class SimulationFailure extends AssertionError {

  private final long seed;

  public SimulationFailure(long seed, long step, String message, Throwable cause) {
    super(
        "seed="
            + seed
            + " step="
            + step
            + ": "
            + message
            + " (replay: -Draft.sim.seed="
            + seed
            + " -Draft.sim.trace=true)",
        cause);
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }
}
