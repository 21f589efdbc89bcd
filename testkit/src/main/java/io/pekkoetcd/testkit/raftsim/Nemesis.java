package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.ConfChange;
import io.pekkoetcd.raft.ConfChangeType;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Describe;
import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.ProposalDropped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The faults and operator actions of the chaos phase: an unreliable network (loss, duplication,
 * reordering through random delivery), crashes, restarts, partitions and heals, membership changes
 * (one member at a time) and leadership transfers. Every choice draws from the cluster's seeded
 * random source.
 */
final class Nemesis {
  private final SimCluster c;

  Nemesis(SimCluster cluster) {
    this.c = cluster;
  }

  /**
   * Delivers one message picked at random (so: reordered), maybe duplicated first, maybe lost (or
   * blocked by a partition) instead, telling the sender what a transport would notice.
   */
  void deliverRandom() {
    Message msg = c.network.takeRandom();
    if (msg == null) {
      return;
    }
    if (c.random.nextDouble() < c.options.duplicateRate()) {
      c.network.send(msg);
    }
    if (c.network.blocked(msg) || c.random.nextDouble() < c.options.dropRate()) {
      c.note(() -> "lost " + Describe.message(msg));
      // What a transport would notice and tell its RawNode: a failed snapshot, an unreachable peer.
      SimMember sender = c.members.get(msg.from());
      if (sender != null && sender.alive()) {
        if (msg instanceof Message.MsgSnap) {
          sender.node.reportSnapshot(msg.to(), false);
        } else if (c.network.blocked(msg) && c.random.nextBoolean()) {
          sender.node.reportUnreachable(msg.to());
        }
      }
      return;
    }
    c.deliver(msg);
  }

  void crash(SimMember m) {
    if (m == null) {
      return;
    }
    c.note(() -> "crash " + m.id);
    c.crashes++;
    m.crash();
  }

  /** Restarts the first member that is down and not removed, if any. */
  void restartOne() {
    for (SimMember m : c.members.values()) {
      if (!m.alive() && !m.removed) {
        c.note(() -> "restart " + m.id);
        m.start(c.random, c.raftConfig);
        return;
      }
    }
  }

  /** Heals a partition, or cuts off a minority (often with the leader in it). */
  void partitionOrHeal() {
    if (c.network.partitioned()) {
      c.note(() -> "heal");
      c.network.heal();
      return;
    }
    List<Long> ids = new ArrayList<>(c.members.keySet());
    Set<Long> minority = new HashSet<>();
    SimMember leader = c.leader();
    if (leader != null && c.random.nextBoolean()) {
      minority.add(leader.id); // cut the leader off, with or without company
    }
    int size = 1 + c.random.nextInt(Math.max(1, (ids.size() - 1) / 2));
    while (minority.size() < size) {
      minority.add(ids.get(c.random.nextInt(ids.size())));
    }
    c.note(() -> "partition " + minority);
    c.network.partition(minority);
  }

  /** One member at a time: add a learner, promote it, then remove some voter (maybe the leader). */
  void changeMembership() {
    SimMember leader = c.leader();
    if (leader == null) {
      return;
    }
    ConfState conf = leader.confState;
    ConfChange change;
    if (!conf.learners().isEmpty()) {
      change = ConfChange.addVoter(conf.learners().iterator().next());
    } else if (conf.voters().size() > c.options.members()) {
      List<Long> voters = new ArrayList<>(conf.voters());
      change = ConfChange.remove(voters.get(c.random.nextInt(voters.size())));
    } else if (c.members.size() < SimCluster.MAX_MEMBERS) {
      change = ConfChange.addLearner(c.nextMemberId);
    } else {
      return;
    }
    try {
      leader.node.proposeConfChange(change);
    } catch (ProposalDropped dropped) {
      return;
    }
    c.note(() -> "propose " + change + " at " + leader.id);
    if (change.type() == ConfChangeType.ADD_LEARNER) {
      SimMember joining = new SimMember(c.nextMemberId++, new MemoryRaftStorage());
      joining.start(c.random, c.raftConfig);
      c.members.put(joining.id, joining);
    }
  }

  /** Asks the leader to hand leadership to a voter chosen at random (maybe itself). */
  void transfer() {
    SimMember leader = c.leader();
    if (leader == null) {
      return;
    }
    List<Long> voters = new ArrayList<>(leader.confState.voters());
    long to = voters.get(c.random.nextInt(voters.size()));
    c.note(() -> "transfer " + leader.id + " -> " + to);
    leader.node.transferLeadership(to);
  }
}
