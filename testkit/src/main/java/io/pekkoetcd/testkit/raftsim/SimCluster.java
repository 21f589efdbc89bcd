package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Describe;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.RaftConfig;
import io.pekkoetcd.raft.Role;
import io.pekkoetcd.raft.SoftState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The simulated world one {@link RaftSimulation} runs: the members, the network between them, the
 * seeded random source every decision draws from, the {@link SafetyChecker}, the trace, and the
 * counters reported in the result. The simulation's parts ({@link Nemesis}, {@link ClientWorkload},
 * {@link ReadyLoop}, {@link LivenessPhase}) act on it; all run on one thread, in step order.
 */
final class SimCluster {
  static final int MAX_MEMBERS = 9;

  final long seed;
  final SimOptions options;
  final SplittableRandom random;
  final SimNetwork network;
  final SafetyChecker checker = new SafetyChecker();
  final TreeMap<Long, SimMember> members = new TreeMap<>();
  final RaftConfig raftConfig;
  final Set<Long> committedProposals = new HashSet<>();
  private final ArrayDeque<String> trace = new ArrayDeque<>();

  long step;
  long nextProposal = 1;
  long nextRead = 1;
  long nextMemberId;
  long leadersElected;
  long snapshotsInstalled;
  long confChangesApplied;
  long crashes;

  SimCluster(long seed, SimOptions options) {
    this.seed = seed;
    this.options = options;
    this.random = new SplittableRandom(seed);
    this.network = new SimNetwork(random.split());
    // Per seed: small appends (1 to 4 entries of 8 bytes data) so catching up takes several round
    // trips, a small in-flight window (in messages, and for two seeds in three also in bytes), and
    // pre-vote / check-quorum on or off (on for most seeds, as in production).
    this.raftConfig =
        new RaftConfig(
            1,
            10,
            1,
            (8L + Entry.OVERHEAD_BYTES) * (1 + random.nextInt(4)),
            1 + random.nextInt(8),
            random.nextInt(3) == 0 ? 0 : (8L + Entry.OVERHEAD_BYTES) * (1 + random.nextInt(6)),
            random.nextInt(4) != 0,
            random.nextInt(4) != 0,
            random.split());
  }

  /** Starts the initial voters 1..{@code options.members()} from one bootstrapped configuration. */
  void bootstrap() {
    Set<Long> voters = new TreeSet<>();
    for (long id = 1; id <= options.members(); id++) {
      voters.add(id);
    }
    ConfState initial = new ConfState(voters, Set.of());
    for (long id : voters) {
      SimMember m = new SimMember(id, MemoryRaftStorage.bootstrap(initial));
      m.start(random, raftConfig);
      members.put(id, m);
    }
    nextMemberId = options.members() + 1;
  }

  /** Records an event in the trace (built only when tracing). */
  void note(Supplier<String> event) {
    if (options.trace()) {
      trace.addLast(step + ": " + event.get());
      if (trace.size() > 20000) {
        trace.removeFirst();
      }
    }
  }

  String traceText() {
    return trace.isEmpty() ? "" : "\n" + String.join("\n", trace);
  }

  /** A live member chosen at random, or null if none is up. */
  SimMember randomLive() {
    List<SimMember> live = new ArrayList<>();
    for (SimMember m : members.values()) {
      if (m.alive()) {
        live.add(m);
      }
    }
    return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
  }

  /** The live leader with the highest term, or null. */
  SimMember leader() {
    SimMember best = null;
    for (SimMember m : members.values()) {
      if (m.alive()
          && m.node.softState().role() == Role.LEADER
          && (best == null || m.node.hardState().term() > best.node.hardState().term())) {
        best = m;
      }
    }
    return best;
  }

  /** Hands {@code msg} to its recipient if that one is up; a message to a down member is lost. */
  void deliver(Message msg) {
    SimMember to = members.get(msg.to());
    if (to == null || !to.alive()) {
      return;
    }
    note(() -> "deliver " + Describe.message(msg));
    to.node.step(msg);
  }

  /** Tells the checker about every live leader (at most one per term). */
  void checkLeaders() {
    for (SimMember m : members.values()) {
      if (m.alive()) {
        SoftState soft = m.node.softState();
        if (soft.role() == Role.LEADER) {
          checker.onLeader(m.id, m.node.hardState().term());
        }
      }
    }
  }

  /** Each member's state, for failure messages. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    for (SimMember m : members.values()) {
      sb.append("\n  ").append(m.id).append(m.removed ? " removed" : m.alive() ? "" : " down");
      if (m.alive()) {
        sb.append(' ').append(m.node.status());
      }
    }
    return sb.toString();
  }
}
