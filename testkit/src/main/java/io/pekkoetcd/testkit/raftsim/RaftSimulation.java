package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.ConfChange;
import io.pekkoetcd.raft.ConfChangeType;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Describe;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.ProposalDropped;
import io.pekkoetcd.raft.RaftConfig;
import io.pekkoetcd.raft.ReadState;
import io.pekkoetcd.raft.Ready;
import io.pekkoetcd.raft.Role;
import io.pekkoetcd.raft.Snapshot;
import io.pekkoetcd.raft.SoftState;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

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
 */
public final class RaftSimulation {

  /** Ticks within which a healed cluster must have a leader that every live voter follows. */
  public static final int LEADER_BOUND_TICKS = 400;

  /** Ticks within which proposals made on a healed cluster must commit. */
  public static final int COMMIT_BOUND_TICKS = 200;

  private static final int MAX_MEMBERS = 9;

  private final long seed;
  private final SimOptions options;
  private final SplittableRandom random;
  private final SimNetwork network;
  private final SafetyChecker checker = new SafetyChecker();
  private final TreeMap<Long, SimMember> members = new TreeMap<>();
  private final ArrayDeque<String> trace = new ArrayDeque<>();
  private final RaftConfig raftConfig;
  private final double faultRate;
  private final boolean leaderChurn;
  private long step;
  private long nextProposal = 1;
  private long nextRead = 1;
  private long nextMemberId;
  private final Set<Long> committedProposals = new HashSet<>();

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

  private long leadersElected;
  private long snapshotsInstalled;
  private long confChangesApplied;
  private long crashes;

  public RaftSimulation(long seed, SimOptions options) {
    this.seed = seed;
    this.options = options;
    this.random = new SplittableRandom(seed);
    this.network = new SimNetwork(random.split());
    // Per seed: small appends (1 to 4 entries of 8 bytes data) so catching up takes several round
    // trips, a
    // small in-flight window, and pre-vote / check-quorum on or off (on for most seeds, as in
    // production).
    this.raftConfig =
        new RaftConfig(
            1,
            10,
            1,
            (8L + Entry.OVERHEAD_BYTES) * (1 + random.nextInt(4)),
            1 + random.nextInt(8),
            random.nextInt(4) != 0,
            random.nextInt(4) != 0,
            random.split());
    // Calm, stormy or in between: faults per step; or leader churn (Figure-8 style histories):
    // crashes hit
    // the leader only, often.
    int profile = random.nextInt(5);
    this.faultRate = new double[] {0.002, 0.006, 0.015, 0.04, 0.03}[profile];
    this.leaderChurn = profile == 4;
    Set<Long> voters = new java.util.TreeSet<>();
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

  /**
   * Runs the chaos phase then the liveness phase; throws {@link SimulationFailure} on any
   * violation.
   */
  public Result run() {
    try {
      for (step = 0; step < options.steps(); step++) {
        chaosStep();
        checkLeaders();
      }
      liveness();
      checker.checkReadsCommitted();
    } catch (SimulationFailure f) {
      throw f;
    } catch (RuntimeException | AssertionError e) {
      throw new SimulationFailure(seed, step, e.getMessage() + traceText(), e);
    }
    long maxTerm = 0;
    for (SimMember m : members.values()) {
      maxTerm = Math.max(maxTerm, m.storage.hardState().term());
    }
    return new Result(
        seed,
        step,
        checker.maxCommitted(),
        checker.readsAnswered(),
        members.size(),
        maxTerm,
        leadersElected,
        snapshotsInstalled,
        confChangesApplied,
        crashes);
  }

  /** Records an event in the trace (built only when tracing). */
  private void note(java.util.function.Supplier<String> event) {
    if (options.trace()) {
      trace.addLast(step + ": " + event.get());
      if (trace.size() > 20000) {
        trace.removeFirst();
      }
    }
  }

  private String traceText() {
    return trace.isEmpty() ? "" : "\n" + String.join("\n", trace);
  }

  // ---------------------------------------------------------------- chaos phase

  /**
   * One chaos step: usually normal work (deliver, process a Ready, tick, propose, read, compact),
   * with probability {@link #faultRate} a fault or operator action (crash, restart, partition or
   * heal, membership change, leadership transfer).
   */
  private void chaosStep() {
    if (random.nextDouble() < faultRate) {
      int roll = random.nextInt(100);
      if (roll < 25) {
        crash(
            leaderChurn || random.nextBoolean()
                ? leader()
                : randomLive()); // leaders' crashes matter most
      } else if (roll < 55) {
        restartOne();
      } else if (roll < 70) {
        partitionOrHeal();
      } else if (roll < 90) {
        if (options.membershipChanges()) {
          changeMembership();
        }
      } else {
        transfer();
      }
      return;
    }
    int roll = random.nextInt(100);
    if (roll < 42) {
      deliverRandom();
    } else if (roll < 72) {
      SimMember m = randomLive();
      if (m != null && m.node.hasReady()) {
        handleReady(m, random.nextInt(200) == 0);
      }
    } else if (roll < 87) {
      SimMember m = randomLive();
      if (m != null) {
        m.node.tick();
      }
    } else if (roll < 95) {
      propose(randomLive());
    } else if (roll < 99) {
      read(randomLive());
    } else {
      compact(randomLive());
    }
  }

  private SimMember randomLive() {
    List<SimMember> live = new ArrayList<>();
    for (SimMember m : members.values()) {
      if (m.alive()) {
        live.add(m);
      }
    }
    return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
  }

  private SimMember leader() {
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

  private void deliverRandom() {
    Message msg = network.takeRandom();
    if (msg == null) {
      return;
    }
    if (random.nextDouble() < options.duplicateRate()) {
      network.send(msg);
    }
    if (network.blocked(msg) || random.nextDouble() < options.dropRate()) {
      note(() -> "lost " + Describe.message(msg));
      // What a transport would notice and tell its RawNode: a failed snapshot, an unreachable peer.
      SimMember sender = members.get(msg.from());
      if (sender != null && sender.alive()) {
        if (msg instanceof Message.MsgSnap) {
          sender.node.reportSnapshot(msg.to(), false);
        } else if (network.blocked(msg) && random.nextBoolean()) {
          sender.node.reportUnreachable(msg.to());
        }
      }
      return;
    }
    deliver(msg);
  }

  private void deliver(Message msg) {
    SimMember to = members.get(msg.to());
    if (to == null || !to.alive()) {
      return;
    }
    note(() -> "deliver " + Describe.message(msg));
    to.node.step(msg);
  }

  private void propose(SimMember m) {
    if (m == null) {
      return;
    }
    int batch = random.nextInt(4) == 0 ? 1 + random.nextInt(5) : 1;
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      data.add(ByteBuffer.allocate(8).putLong(nextProposal++).array());
    }
    try {
      m.node.proposeBatch(data);
      note(() -> "propose x" + batch + " at " + m.id);
    } catch (ProposalDropped dropped) {
      note(() -> "propose at " + m.id + " dropped: " + dropped.reason());
    }
  }

  private void read(SimMember m) {
    if (m == null) {
      return;
    }
    long ctx = nextRead++;
    checker.onReadIssued(ctx);
    try {
      m.node.readIndex(ByteBuffer.allocate(8).putLong(ctx).array());
      note(() -> "read " + ctx + " at " + m.id);
    } catch (ProposalDropped dropped) {
      checker.onReadDropped(ctx);
    }
  }

  /**
   * The caller's log compaction: snapshot the state machine at its applied index, keep a short
   * tail.
   */
  private void compact(SimMember m) {
    if (m == null
        || m.appliedIndex - m.storage.firstIndex() < 8
        || m.appliedIndex > m.storage.lastIndex()) {
      return;
    }
    m.storage.createSnapshot(m.appliedIndex, m.confState, m.snapshotData());
    long compactTo = m.appliedIndex - random.nextInt(4);
    m.storage.compact(compactTo);
    m.fingerprint.compactTo(compactTo);
    note(() -> "compact " + m.id + " to " + compactTo + " (snapshot " + m.appliedIndex + ")");
  }

  private void crash(SimMember m) {
    if (m == null) {
      return;
    }
    note(() -> "crash " + m.id);
    crashes++;
    m.crash();
  }

  private void restartOne() {
    for (SimMember m : members.values()) {
      if (!m.alive() && !m.removed) {
        note(() -> "restart " + m.id);
        m.start(random, raftConfig);
        return;
      }
    }
  }

  private void partitionOrHeal() {
    if (network.partitioned()) {
      note(() -> "heal");
      network.heal();
      return;
    }
    List<Long> ids = new ArrayList<>(members.keySet());
    Set<Long> minority = new HashSet<>();
    SimMember leader = leader();
    if (leader != null && random.nextBoolean()) {
      minority.add(leader.id); // cut the leader off, with or without company
    }
    int size = 1 + random.nextInt(Math.max(1, (ids.size() - 1) / 2));
    while (minority.size() < size) {
      minority.add(ids.get(random.nextInt(ids.size())));
    }
    note(() -> "partition " + minority);
    network.partition(minority);
  }

  /** One member at a time: add a learner, promote it, then remove some voter (maybe the leader). */
  private void changeMembership() {
    SimMember leader = leader();
    if (leader == null) {
      return;
    }
    ConfState conf = leader.confState;
    ConfChange change;
    if (!conf.learners().isEmpty()) {
      change = ConfChange.addVoter(conf.learners().iterator().next());
    } else if (conf.voters().size() > options.members()) {
      List<Long> voters = new ArrayList<>(conf.voters());
      change = ConfChange.remove(voters.get(random.nextInt(voters.size())));
    } else if (members.size() < MAX_MEMBERS) {
      change = ConfChange.addLearner(nextMemberId);
    } else {
      return;
    }
    try {
      leader.node.proposeConfChange(change);
    } catch (ProposalDropped dropped) {
      return;
    }
    note(() -> "propose " + change + " at " + leader.id);
    if (change.type() == ConfChangeType.ADD_LEARNER) {
      SimMember joining = new SimMember(nextMemberId++, new MemoryRaftStorage());
      joining.start(random, raftConfig);
      members.put(joining.id, joining);
    }
  }

  private void transfer() {
    SimMember leader = leader();
    if (leader == null) {
      return;
    }
    List<Long> voters = new ArrayList<>(leader.confState.voters());
    long to = voters.get(random.nextInt(voters.size()));
    note(() -> "transfer " + leader.id + " -> " + to);
    leader.node.transferLeadership(to);
  }

  // ---------------------------------------------------------------- the caller's Ready loop

  /**
   * What a member's actor does with a Ready: persist (snapshot, entries, hard state), then send,
   * then apply, then advance. With {@code crashAfterPersist} it dies right after persisting
   * (nothing sent or applied).
   */
  private void handleReady(SimMember m, boolean crashAfterPersist) {
    Ready rd = m.node.ready();
    if (rd.softState().isPresent()) {
      SoftState soft = rd.softState().get();
      if (soft.role() == Role.LEADER && m.observedRole != Role.LEADER) {
        leadersElected++;
        checker.onNewLeader(
            m.id, m.node.hardState().term(), m.node::termAt, m.storage.firstIndex());
      }
      m.observedRole = soft.role();
    }
    rd.snapshot()
        .ifPresent(
            s -> {
              snapshotsInstalled++;
              m.storage.applySnapshot(s);
              m.fingerprint.resetTo(s.index(), checker.prefixHashOf(s.index(), s.term()));
            });
    if (!rd.entries().isEmpty()) {
      m.storage.append(rd.entries());
      long[] hashes = m.fingerprint.append(rd.entries());
      int offset = rd.entries().size() - hashes.length;
      for (int k = 0; k < hashes.length; k++) {
        Entry e = rd.entries().get(offset + k);
        checker.onEntryPersisted(m.id, e.index(), e.term(), hashes[k]);
      }
    }
    if (rd.hardState().isPresent()) {
      HardState hs = rd.hardState().get();
      m.storage.setHardState(hs);
      checker.onHardStatePersisted(m.id, hs);
      reportCommit(m, hs.commit());
    }
    if (crashAfterPersist) {
      note(() -> "crash " + m.id + " after persisting, before sending");
      m.crash();
      return;
    }
    for (Message msg : rd.messages()) {
      network.send(msg);
    }
    rd.snapshot().ifPresent(s -> applySnapshot(m, s));
    for (Entry e : rd.committedEntries()) {
      apply(m, e);
    }
    for (ReadState rs : rd.readStates()) {
      checker.onReadAnswered(m.id, ByteBuffer.wrap(rs.context()).getLong(), rs.index());
    }
    m.node.advance(rd);
    if (m.removed) {
      m.crash();
    }
  }

  private void reportCommit(SimMember m, long commit) {
    for (long i = Math.max(m.reportedCommit + 1, 2); i <= commit; i++) {
      if (!m.fingerprint.covers(i)) {
        continue; // inside the snapshot, which the checker validated when it was installed
      }
      boolean newlyCommitted = i > checker.maxCommitted();
      checker.onCommitted(m.id, i, m.storage.term(i), m.fingerprint.hashAt(i));
      recordCommittedProposal(m, i);
      if (newlyCommitted && !options.membershipChanges()) {
        checker.checkNoMemberCouldWinWithout(i, members.values(), options.members());
      }
    }
    m.reportedCommit = Math.max(m.reportedCommit, commit);
  }

  private void recordCommittedProposal(SimMember m, long index) {
    if (index < m.storage.firstIndex()) {
      return; // the snapshot's own entry: its data is gone, its hash was checked
    }
    Entry e = m.storage.entries(index, index + 1, Long.MAX_VALUE).get(0);
    if (e.type() == EntryType.NORMAL && e.data().length == 8) {
      committedProposals.add(ByteBuffer.wrap(e.data()).getLong());
    }
  }

  private void applySnapshot(SimMember m, Snapshot s) {
    m.restoreStateMachine(s);
    if (m.appliedIndex != s.index()) {
      throw new IllegalStateException("snapshot data index " + m.appliedIndex + " != " + s.index());
    }
    checker.onApplied(m.id, m.appliedIndex, m.appliedHash);
    m.confState = s.confState();
  }

  private void apply(SimMember m, Entry e) {
    if (e.index() != m.appliedIndex + 1) {
      throw new IllegalStateException(
          "member " + m.id + " applies " + e.index() + " after " + m.appliedIndex);
    }
    m.appliedHash = LogFingerprint.mix(m.appliedHash, e);
    m.appliedIndex = e.index();
    checker.onApplied(m.id, e.index(), m.appliedHash);
    if (e.type() == EntryType.CONF_CHANGE) {
      ConfChange change = ConfChange.decode(e.data());
      confChangesApplied++;
      m.confState = m.node.applyConfChange(change);
      if (change.type() == ConfChangeType.REMOVE_MEMBER) {
        SimMember gone = members.get(change.nodeId());
        if (gone != null && !gone.removed) {
          note(() -> "removed " + gone.id);
          gone.removed = true; // it shuts down, as etcd's does (itself: once this Ready is done)
          if (gone != m) {
            gone.crash();
          }
        }
      }
    }
  }

  private void checkLeaders() {
    for (SimMember m : members.values()) {
      if (m.alive()) {
        SoftState soft = m.node.softState();
        if (soft.role() == Role.LEADER) {
          checker.onLeader(m.id, m.node.hardState().term());
        }
      }
    }
  }

  // ---------------------------------------------------------------- liveness phase

  private void liveness() {
    network.heal();
    for (SimMember m : members.values()) {
      if (!m.alive() && !m.removed) {
        m.start(random, raftConfig);
      }
    }
    note(() -> "liveness: healed, all restarted");
    // A leader must emerge and keep every live voter for two election timeouts (so no member with a
    // stale
    // election timer, e.g. without pre-vote, can still depose it) within the bound.
    int ticks = 0;
    int stableRounds = 0;
    long stableLeaderId = 0;
    long stableTerm = 0;
    while (stableRounds < 2 * raftConfig.electionTicks()) {
      if (ticks++ > LEADER_BOUND_TICKS) {
        throw new IllegalStateException(
            "liveness: no stable leader "
                + LEADER_BOUND_TICKS
                + " ticks after healing; "
                + describe());
      }
      round();
      SimMember leader = stableLeader();
      if (leader != null
          && leader.id == stableLeaderId
          && leader.node.hardState().term() == stableTerm) {
        stableRounds++;
      } else {
        stableRounds = 0;
        stableLeaderId = leader == null ? 0 : leader.id;
        stableTerm = leader == null ? 0 : leader.node.hardState().term();
      }
    }
    // Proposals go to whoever leads; one refused (a transfer in progress) is retried next round.
    List<Long> proposals = new ArrayList<>();
    int unproposed = 5;
    ticks = 0;
    while (unproposed > 0 || !committedProposals.containsAll(proposals)) {
      SimMember current = leader();
      while (unproposed > 0 && current != null) {
        long id = nextProposal;
        try {
          current.node.propose(ByteBuffer.allocate(8).putLong(id).array());
        } catch (ProposalDropped dropped) {
          break;
        }
        nextProposal++;
        proposals.add(id);
        unproposed--;
      }
      if (ticks++ > COMMIT_BOUND_TICKS) {
        throw new IllegalStateException(
            "liveness: proposals "
                + proposals
                + " (+"
                + unproposed
                + " refused) not committed "
                + COMMIT_BOUND_TICKS
                + " ticks after healing; "
                + describe());
      }
      round();
    }
  }

  /**
   * One orderly round: every live member ticks, then messages and Readys are processed until quiet.
   */
  private void round() {
    step++;
    for (SimMember m : members.values()) {
      if (m.alive()) {
        m.node.tick();
      }
    }
    for (int guard = 0; guard < 100; guard++) {
      boolean busy = false;
      for (SimMember m : members.values()) {
        if (m.alive() && m.node.hasReady()) {
          handleReady(m, false);
          busy = true;
        }
      }
      Message msg;
      while ((msg = network.takeOldest()) != null) {
        deliver(msg);
        busy = true;
      }
      checkLeaders();
      if (!busy) {
        break;
      }
    }
  }

  /** A leader that every live voter of its configuration follows, or null. */
  private SimMember stableLeader() {
    SimMember leader = leader();
    if (leader == null) {
      return null;
    }
    for (long voter : leader.confState.voters()) {
      SimMember m = members.get(voter);
      if (m != null && m.alive() && m.node.softState().leader() != leader.id) {
        return null;
      }
    }
    return leader;
  }

  private String describe() {
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
