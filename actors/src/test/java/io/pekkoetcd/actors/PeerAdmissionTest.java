package io.pekkoetcd.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkoetcd.raft.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Raft messages from peers reach the {@link RaftNode} directly ({@link RaftNode.FromPeer}): it
 * steps those from members of its own cluster and tells its transport of the others ({@link
 * PeerTransport.Refused}), which logs them and tells a removed sender so. etcd's rafthttp refuses
 * the same ("request cluster ID mismatch", an unknown or removed member).
 */
class PeerAdmissionTest {

  private final RaftNodeHarness h = new RaftNodeHarness();

  @AfterEach
  void stop() {
    h.close();
  }

  /** Member 2's heartbeat for term 2: stepped, it makes this member its follower. */
  private static Message heartbeatFrom(long from) {
    return new Message.MsgHeartbeat(from, RaftNodeHarness.ME, 2, 1, null);
  }

  @Test
  void stepsAMembersMessageAndRefusesOtherClustersAndStrangers() {
    h.node.tell(new RaftNode.FromPeer(RaftNodeHarness.CLUSTER + 1, heartbeatFrom(2)));
    assertEquals(
        new PeerTransport.Refused(
            RaftNodeHarness.CLUSTER + 1, 2, PeerFilter.Verdict.CLUSTER_MISMATCH),
        h.refused.receiveMessage(RaftNodeHarness.WAIT));
    h.node.tell(new RaftNode.FromPeer(RaftNodeHarness.CLUSTER, heartbeatFrom(9)));
    assertEquals(
        new PeerTransport.Refused(RaftNodeHarness.CLUSTER, 9, PeerFilter.Verdict.UNKNOWN_MEMBER),
        h.refused.receiveMessage(RaftNodeHarness.WAIT));
    // Both were handled before this status request: neither was stepped.
    RaftNode.RaftStatus before = h.awaitStatus(s -> true, "status");
    assertEquals(0, before.leader(), "no leader from refused heartbeats");
    assertEquals(1, before.term(), "no term from refused heartbeats");

    h.node.tell(new RaftNode.FromPeer(RaftNodeHarness.CLUSTER, heartbeatFrom(2)));
    RaftNode.RaftStatus after = h.awaitStatus(s -> s.leader() == 2, "member 2 known as leader");
    assertEquals(2, after.term());
    h.refused.expectNoMessage(java.time.Duration.ofMillis(50));
  }
}
