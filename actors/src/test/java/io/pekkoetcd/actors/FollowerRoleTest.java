package io.pekkoetcd.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.Message;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FollowerRole}: a follower hands proposals to the leader it knows (Raft's MsgProp) and
 * keeps them out of its own log, and asks the leader for read indexes (MsgReadIndex); only the
 * leader appends (Raft §5.3: "the leader appends the command to its log").
 */
class FollowerRoleTest {

  private final RaftNodeHarness h = new RaftNodeHarness();

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void forwardsAProposalToTheLeaderWithoutAppendingIt() {
    // Member 2 leads term 2: its heartbeat makes this member its follower.
    h.step(new Message.MsgHeartbeat(2, RaftNodeHarness.ME, 2, 1, null));
    RaftNode.RaftStatus status = h.awaitStatus(s -> s.leader() == 2, "member 2 known as leader");
    assertEquals(2, status.term());

    PendingRequests.Registration reg = h.pending.register();
    InternalRaftRequest request = RaftNodeHarness.put(reg.id(), "k");
    h.node.tell(new RaftNode.Propose(request));

    Message.MsgProp forwarded =
        h.awaitSent(
            Message.MsgProp.class, m -> RaftNodeHarness.carries(m.entries().get(0), request));
    assertEquals(2, forwarded.to(), "forwarded to the leader");
    assertEquals(1, forwarded.entries().size());
    // A Ready's messages leave only after its WAL write: had the follower appended the entry, the
    // WAL would hold it by now.
    assertFalse(
        h.walEntries.stream().anyMatch(e -> RaftNodeHarness.carries(e, request)),
        "the follower must not append a proposal to its own log: " + h.walEntries);
    assertFalse(reg.result().isDone(), "the request waits for its entry to be applied");
  }

  @Test
  void forwardsAReadIndexToTheLeaderAndAnswersWithTheLeadersIndex() {
    h.step(new Message.MsgHeartbeat(2, RaftNodeHarness.ME, 2, 1, null));
    h.awaitStatus(s -> s.leader() == 2, "member 2 known as leader");

    TestProbe<StatusReply<Long>> reader = h.testKit.createTestProbe();
    h.node.tell(new RaftNode.ReadIndex(reader.ref()));
    Message.MsgReadIndex asked = h.awaitSent(Message.MsgReadIndex.class, m -> true);
    assertEquals(2, asked.to(), "forwarded to the leader");

    // The leader confirmed its leadership and answers with its commit index, 7.
    h.step(new Message.MsgReadIndexResp(2, RaftNodeHarness.ME, 2, 7, asked.context()));
    StatusReply<Long> answer = reader.receiveMessage(RaftNodeHarness.WAIT);
    assertEquals(7L, answer.getValue());
  }
}
