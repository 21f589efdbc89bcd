package io.pekkoetcd.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.Message;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CandidateRole}: the election (pre-vote, then vote, Raft §5.2 and thesis §9.6), and what a
 * candidate does with proposals while no leader is known: holds them, refuses them with etcd's
 * "request timed out" when no leader appears within the request timeout, and hands them to the
 * leader once one is known.
 */
class CandidateRoleTest {

  private final RaftNodeHarness h = new RaftNodeHarness();

  @AfterEach
  void stop() {
    h.close();
  }

  /** Election timeout without a leader: pre-candidate, asks 2 and 3 for a pre-vote. */
  private Message.MsgPreVote becomePreCandidate() {
    h.ticks(2 * RaftNodeHarness.ELECTION_TICKS);
    return h.awaitSent(Message.MsgPreVote.class, m -> m.to() == 2);
  }

  @Test
  void winsAnElectionThroughPreVoteAndVote() {
    Message.MsgPreVote preVote = becomePreCandidate();
    assertEquals(2, preVote.term(), "a pre-vote is for the next term");

    LoggingTestKit.info("1 became candidate at term 2")
        .expect(
            h.testKit.system(),
            () -> {
              h.step(new Message.MsgPreVoteResp(2, 1, preVote.term(), false));
              return null;
            });
    Message.MsgVote vote = h.awaitSent(Message.MsgVote.class, m -> m.to() == 3);
    assertEquals(2, vote.term());

    LoggingTestKit.info("1 became leader at term 2")
        .expect(
            h.testKit.system(),
            () -> {
              h.step(new Message.MsgVoteResp(3, 1, 2, false));
              return null;
            });
    // A new leader appends an empty entry of its term and sends it to its followers.
    Message.MsgApp app = h.awaitSent(Message.MsgApp.class, m -> m.to() == 2);
    assertEquals(2, app.term());
    RaftNode.RaftStatus status = h.awaitStatus(s -> s.leader() == 1, "member 1 leads");
    assertEquals(2, status.term());
  }

  @Test
  void refusesAHeldProposalWithRequestTimedOutWhenNoLeaderAppears() throws Exception {
    becomePreCandidate();
    PendingRequests.Registration reg = h.pending.register();
    h.node.tell(new RaftNode.Propose(RaftNodeHarness.put(reg.id(), "k")));
    h.awaitStatus(s -> s.leader() == 0, "the proposal was taken");
    assertFalse(reg.result().isDone(), "held while the election runs");

    // No member answers: no leader within the request timeout (20 ticks).
    h.ticks(25);
    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () -> reg.result().get(RaftNodeHarness.WAIT.toMillis(), TimeUnit.MILLISECONDS));
    ServerException error = assertInstanceOf(ServerException.class, failed.getCause());
    assertEquals(ServerError.REQUEST_TIMED_OUT, error.error());
    assertEquals(0, h.awaitStatus(s -> true, "status").leader());
  }

  @Test
  void handsAHeldProposalToTheLeaderOnceOneIsKnown() {
    becomePreCandidate();
    PendingRequests.Registration reg = h.pending.register();
    InternalRaftRequest request = RaftNodeHarness.put(reg.id(), "k");
    h.node.tell(new RaftNode.Propose(request));

    // Member 3 won term 3; its heartbeat makes this member its follower.
    h.step(new Message.MsgHeartbeat(3, RaftNodeHarness.ME, 3, 1, null));
    Message.MsgProp forwarded =
        h.awaitSent(
            Message.MsgProp.class, m -> RaftNodeHarness.carries(m.entries().get(0), request));
    assertEquals(3, forwarded.to());
    assertFalse(reg.result().isDone(), "not refused: it waits for its entry to be applied");
  }
}
