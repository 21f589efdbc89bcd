package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.ProposalDropped;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The liveness phase after the chaos: heal everything, restart every member, deliver in order
 * without loss; a stable leader must emerge within {@link RaftSimulation#LEADER_BOUND_TICKS} and
 * proposals made then must commit within {@link RaftSimulation#COMMIT_BOUND_TICKS}.
 */
final class LivenessPhase {
  private final SimCluster c;
  private final ReadyLoop readyLoop;

  LivenessPhase(SimCluster cluster, ReadyLoop readyLoop) {
    this.c = cluster;
    this.readyLoop = readyLoop;
  }

  void run() {
    c.network.heal();
    for (SimMember m : c.members.values()) {
      if (!m.alive() && !m.removed) {
        m.start(c.random, c.raftConfig);
      }
    }
    c.note(() -> "liveness: healed, all restarted");
    awaitStableLeader();
    proposalsCommit();
  }

  /**
   * A leader must emerge and keep every live voter for two election timeouts (so no member with a
   * stale election timer, e.g. without pre-vote, can still depose it) within the bound.
   */
  private void awaitStableLeader() {
    int ticks = 0;
    int stableRounds = 0;
    long stableLeaderId = 0;
    long stableTerm = 0;
    while (stableRounds < 2 * c.raftConfig.electionTicks()) {
      if (ticks++ > RaftSimulation.LEADER_BOUND_TICKS) {
        throw new IllegalStateException(
            "liveness: no stable leader "
                + RaftSimulation.LEADER_BOUND_TICKS
                + " ticks after healing; "
                + c.describe());
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
  }

  /** Proposals go to whoever leads; one refused (a transfer in progress) is retried next round. */
  private void proposalsCommit() {
    List<Long> proposals = new ArrayList<>();
    int unproposed = 5;
    int ticks = 0;
    while (unproposed > 0 || !c.committedProposals.containsAll(proposals)) {
      SimMember current = c.leader();
      while (unproposed > 0 && current != null) {
        long id = c.nextProposal;
        try {
          current.node.propose(ByteBuffer.allocate(8).putLong(id).array());
        } catch (ProposalDropped dropped) {
          break;
        }
        c.nextProposal++;
        proposals.add(id);
        unproposed--;
      }
      if (ticks++ > RaftSimulation.COMMIT_BOUND_TICKS) {
        throw new IllegalStateException(
            "liveness: proposals "
                + proposals
                + " (+"
                + unproposed
                + " refused) not committed "
                + RaftSimulation.COMMIT_BOUND_TICKS
                + " ticks after healing; "
                + c.describe());
      }
      round();
    }
  }

  /**
   * One orderly round: every live member ticks, then messages and Readys are processed until quiet.
   */
  private void round() {
    c.step++;
    for (SimMember m : c.members.values()) {
      if (m.alive()) {
        m.node.tick();
      }
    }
    for (int guard = 0; guard < 100; guard++) {
      boolean busy = false;
      for (SimMember m : c.members.values()) {
        if (m.alive() && m.node.hasReady()) {
          readyLoop.handleReady(m, false);
          busy = true;
        }
      }
      Message msg;
      while ((msg = c.network.takeOldest()) != null) {
        c.deliver(msg);
        busy = true;
      }
      c.checkLeaders();
      if (!busy) {
        break;
      }
    }
  }

  /** A leader that every live voter of its configuration follows, or null. */
  private SimMember stableLeader() {
    SimMember leader = c.leader();
    if (leader == null) {
      return null;
    }
    for (long voter : leader.confState.voters()) {
      SimMember m = c.members.get(voter);
      if (m != null && m.alive() && m.node.softState().leader() != leader.id) {
        return null;
      }
    }
    return leader;
  }
}
