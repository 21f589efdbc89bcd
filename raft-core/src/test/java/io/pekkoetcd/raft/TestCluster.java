package io.pekkoetcd.raft;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/** Test nodes exchanging messages in FIFO order, with members that can be cut off. */
final class TestCluster {

  final TreeMap<Long, TestNode> nodes = new TreeMap<>();
  final Set<Long> isolated = new HashSet<>();

  static TestCluster of(int n, boolean preVote, boolean checkQuorum) {
    TestCluster c = new TestCluster();
    Long[] voters = new Long[n];
    for (int i = 0; i < n; i++) {
      voters[i] = (long) (i + 1);
    }
    for (long id = 1; id <= n; id++) {
      c.nodes.put(
          id,
          new TestNode(
              id, MemoryRaftStorage.bootstrap(ConfState.ofVoters(voters)), preVote, checkQuorum));
    }
    return c;
  }

  TestNode node(long id) {
    return nodes.get(id);
  }

  /** Processes Readys and delivers messages until nothing moves. */
  void stabilize() {
    ArrayDeque<Message> queue = new ArrayDeque<>();
    boolean busy = true;
    while (busy) {
      busy = false;
      for (TestNode n : nodes.values()) {
        queue.addAll(n.drain());
      }
      while (!queue.isEmpty()) {
        Message m = queue.poll();
        busy = true;
        if (isolated.contains(m.from())
            || isolated.contains(m.to())
            || !nodes.containsKey(m.to())) {
          continue;
        }
        nodes.get(m.to()).raw.step(m);
      }
    }
  }

  void elect(long id) {
    node(id).raw.campaign();
    stabilize();
  }

  void tickAll(int ticks) {
    for (int i = 0; i < ticks; i++) {
      nodes.values().forEach(n -> n.raw.tick());
      stabilize();
    }
  }
}
