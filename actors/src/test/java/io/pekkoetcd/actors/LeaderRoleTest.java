package io.pekkoetcd.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkoetcd.raft.Message;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LeaderRole}: a leader streams the MVCC store to a follower that needs compacted entries (a
 * snapshot sender, one per follower) and stops its senders when it steps down on seeing a higher
 * term (Raft §5.1: "if a candidate or leader discovers that its term is out of date, it immediately
 * reverts to follower state").
 */
class LeaderRoleTest {

  /**
   * The WAL was compacted up to index 10: a follower missing entries before it needs a snapshot.
   */
  private final RaftNodeHarness h = new RaftNodeHarness(RaftNodeHarness.compactedAt(10));

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void stepsDownOnAHigherTermAndStopsItsSnapshotSenders() {
    h.becomeLeader();
    Message.MsgApp probe = h.awaitSent(Message.MsgApp.class, m -> m.to() == 2);
    assertEquals(10, probe.index(), "probes after the compaction point");
    // Member 2's log is empty: it rejects, the leader's log no longer has what it needs.
    h.step(new Message.MsgAppResp(2, 1, probe.term(), probe.index(), true, 0, 0));
    h.senders.expectMessage(RaftNodeHarness.WAIT, "started 2");

    LoggingTestKit.info("1 became follower at term 5")
        .expect(
            h.testKit.system(),
            () -> {
              h.step(new Message.MsgHeartbeat(3, RaftNodeHarness.ME, 5, 0, null));
              return null;
            });
    h.senders.expectMessage(RaftNodeHarness.WAIT, "stopped 2");
    RaftNode.RaftStatus status = h.awaitStatus(s -> s.leader() == 3, "member 3 leads");
    assertEquals(5, status.term());
    h.senders.expectNoMessage(Duration.ofMillis(100));
  }
}
