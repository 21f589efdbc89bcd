package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.Ready;

/**
 * A seeded, single-threaded simulation of a Raft cluster (after Zeebe's {@code
 * RandomizedRaftTest}): each step is one random event — deliver, lose, duplicate or reorder a
 * message, tick a member, let a member process its {@link Ready} (possibly crashing between
 * persisting and sending), propose, read, compact, crash, restart, partition, heal, change
 * membership, transfer leadership. {@link SafetyChecker} runs after every step.
 *
 * <p>Then the liveness phase: heal everything, restart every member, deliver in order without loss;
 * a leader must emerge within a bounded number of ticks and every proposal made then must commit.
 * Same seed, same run.
 *
 * <p>The parts: {@link SimCluster} (members, network, random source, checker, trace), {@link
 * Nemesis} (network faults, crashes, partitions, membership changes, transfers), {@link
 * ClientWorkload} (proposals, reads, compaction), {@link ReadyLoop} (the caller's persist, send,
 * apply, advance) and {@link LivenessPhase}; this class is the chaos loop that picks among them.
 */
public final class RaftSimulation {

  /** Ticks within which a healed cluster must have a leader that every live voter follows. */
  public static final int LEADER_BOUND_TICKS = 400;

  /** Ticks within which proposals made on a healed cluster must commit. */
  public static final int COMMIT_BOUND_TICKS = 200;

  private final SimCluster cluster;
  private final Nemesis nemesis;
  private final ClientWorkload clients;
  private final ReadyLoop readyLoop;
  private final double faultRate;
  private final boolean leaderChurn;

  /** What one run did, for reporting. */
  public record Result(
      long seed,
      long steps,
      long committed,
      long readsAnswered,
      int members,
      long maxTerm,
      long leadersElected,
      long snapshotsInstalled,
      long confChangesApplied,
      long crashes) {}

  public RaftSimulation(long seed, SimOptions options) {
    this.cluster = new SimCluster(seed, options);
    // Calm, stormy or in between: faults per step; or leader churn (Figure-8 style histories):
    // crashes hit the leader only, often.
    int profile = cluster.random.nextInt(5);
    this.faultRate = new double[] {0.002, 0.006, 0.015, 0.04, 0.03}[profile];
    this.leaderChurn = profile == 4;
    cluster.bootstrap();
    this.nemesis = new Nemesis(cluster);
    this.clients = new ClientWorkload(cluster);
    this.readyLoop = new ReadyLoop(cluster);
  }

  /**
   * Runs the chaos phase then the liveness phase; throws {@link SimulationFailure} on any
   * violation.
   */
  public Result run() {
    SimCluster c = cluster;
    try {
      for (c.step = 0; c.step < c.options.steps(); c.step++) {
        chaosStep();
        c.checkLeaders();
      }
      new LivenessPhase(c, readyLoop).run();
      c.checker.checkReadsCommitted();
    } catch (SimulationFailure f) {
      throw f;
    } catch (RuntimeException | AssertionError e) {
      throw new SimulationFailure(c.seed, c.step, e.getMessage() + c.traceText(), e);
    }
    long maxTerm = 0;
    for (SimMember m : c.members.values()) {
      maxTerm = Math.max(maxTerm, m.storage.hardState().term());
    }
    return new Result(
        c.seed,
        c.step,
        c.checker.maxCommitted(),
        c.checker.readsAnswered(),
        c.members.size(),
        maxTerm,
        c.leadersElected,
        c.snapshotsInstalled,
        c.confChangesApplied,
        c.crashes);
  }

  /**
   * One chaos step: usually normal work (deliver, process a Ready, tick, propose, read, compact),
   * with probability {@link #faultRate} a fault or operator action (crash, restart, partition or
   * heal, membership change, leadership transfer).
   */
  private void chaosStep() {
    SimCluster c = cluster;
    if (c.random.nextDouble() < faultRate) {
      int roll = c.random.nextInt(100);
      if (roll < 25) {
        // leaders' crashes matter most
        nemesis.crash(leaderChurn || c.random.nextBoolean() ? c.leader() : c.randomLive());
      } else if (roll < 55) {
        nemesis.restartOne();
      } else if (roll < 70) {
        nemesis.partitionOrHeal();
      } else if (roll < 90) {
        if (c.options.membershipChanges()) {
          nemesis.changeMembership();
        }
      } else {
        nemesis.transfer();
      }
      return;
    }
    int roll = c.random.nextInt(100);
    if (roll < 42) {
      nemesis.deliverRandom();
    } else if (roll < 72) {
      SimMember m = c.randomLive();
      if (m != null && m.node.hasReady()) {
        readyLoop.handleReady(m, c.random.nextInt(200) == 0);
      }
    } else if (roll < 87) {
      SimMember m = c.randomLive();
      if (m != null) {
        m.node.tick();
      }
    } else if (roll < 95) {
      clients.propose(c.randomLive());
    } else if (roll < 99) {
      clients.read(c.randomLive());
    } else {
      clients.compact(c.randomLive());
    }
  }
}
