package io.pekkoetcd.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.pekkoetcd.raft.Message;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadIndexes} batches linearizable reads as etcd's {@code linearizableReadLoop} does: one
 * read-index request in flight; the reads that arrive meanwhile share the next one (never the one
 * in flight: it was confirmed before they started). Played on a follower, whose requests go to the
 * leader as MsgReadIndex and whose answers the test steps in.
 */
class ReadIndexBatchingTest {

  private final RaftNodeHarness h = new RaftNodeHarness();

  @AfterEach
  void stop() {
    h.close();
  }

  /** Member 2 leads term 2. */
  private void heartbeatFromLeader() {
    h.step(new Message.MsgHeartbeat(2, RaftNodeHarness.ME, 2, 1, null));
  }

  private TestProbe<StatusReply<Long>> read() {
    TestProbe<StatusReply<Long>> reader = h.testKit.createTestProbe();
    h.node.tell(new RaftNode.ReadIndex(reader.ref()));
    return reader;
  }

  private void answer(Message.MsgReadIndex request, long index) {
    h.step(new Message.MsgReadIndexResp(2, RaftNodeHarness.ME, 2, index, request.context()));
  }

  @Test
  void readsArrivingWhileARequestIsInFlightShareTheNextOne() {
    heartbeatFromLeader();
    h.awaitStatus(s -> s.leader() == 2, "member 2 known as leader");

    TestProbe<StatusReply<Long>> first = read();
    Message.MsgReadIndex firstRequest = h.awaitSent(Message.MsgReadIndex.class, m -> true);
    TestProbe<StatusReply<Long>> second = read();
    TestProbe<StatusReply<Long>> third = read();
    h.awaitStatus(s -> true, "both later reads were taken");

    answer(firstRequest, 7);
    assertEquals(7L, first.receiveMessage(RaftNodeHarness.WAIT).getValue());
    // The first answer ends the request in flight: the two later reads go out as one request.
    Message.MsgReadIndex shared = h.awaitSent(Message.MsgReadIndex.class, m -> true);
    assertFalse(Arrays.equals(firstRequest.context(), shared.context()), "a new request");

    answer(shared, 9);
    assertEquals(9L, second.receiveMessage(RaftNodeHarness.WAIT).getValue(), "not the first's 7");
    assertEquals(9L, third.receiveMessage(RaftNodeHarness.WAIT).getValue(), "one answer for both");
  }

  @Test
  void aRequestWhoseReadersAllTimedOutNoLongerHoldsBackTheWaitingReads() {
    heartbeatFromLeader();
    h.awaitStatus(s -> s.leader() == 2, "member 2 known as leader");

    TestProbe<StatusReply<Long>> lost = read(); // its request or answer is lost
    Message.MsgReadIndex lostRequest = h.awaitSent(Message.MsgReadIndex.class, m -> true);
    for (int i = 0; i < 5; i++) {
      heartbeatFromLeader(); // the leader stays known
      h.ticks(1);
    }
    TestProbe<StatusReply<Long>> later = read(); // five ticks later: its deadline is later too
    h.awaitStatus(s -> true, "the later read was taken");

    long timeoutTicks =
        RaftNodeHarness.REQUEST_TIMEOUT.toMillis() / RaftNodeHarness.HEARTBEAT_MS; // 20
    for (int i = 5; i < timeoutTicks; i++) {
      heartbeatFromLeader();
      h.ticks(1);
    }
    StatusReply<Long> timedOut = lost.receiveMessage(RaftNodeHarness.WAIT);
    ServerException error = assertInstanceOf(ServerException.class, timedOut.getError());
    assertEquals(ServerError.REQUEST_TIMED_OUT, error.error());
    // Nobody waits for the lost request any more: the later read is asked for at once.
    Message.MsgReadIndex retried = h.awaitSent(Message.MsgReadIndex.class, m -> true);
    answer(lostRequest, 5); // the lost answer, late: ignored
    answer(retried, 8);
    assertEquals(8L, later.receiveMessage(RaftNodeHarness.WAIT).getValue());
  }

  /**
   * The leader keeps one pending read per context and ignores a second with the same one, so a
   * context must be unique in the cluster: it names the member that asked. Another member's request
   * with the same sequence number is not this member's answer.
   */
  @Test
  void aRequestsContextNamesThisMemberAndAnotherMembersAnswerIsNotTaken() {
    heartbeatFromLeader();
    h.awaitStatus(s -> s.leader() == 2, "member 2 known as leader");

    TestProbe<StatusReply<Long>> reader = read();
    Message.MsgReadIndex request = h.awaitSent(Message.MsgReadIndex.class, m -> true);
    ByteBuffer context = ByteBuffer.wrap(request.context());
    assertEquals(2 * Long.BYTES, request.context().length);
    assertEquals(RaftNodeHarness.ME, context.getLong(), "the asking member's ID first");
    long seq = context.getLong();
    assertArrayEquals(ReadIndexes.context(RaftNodeHarness.ME, seq), request.context());

    byte[] othersContext = ReadIndexes.context(3, seq);
    assertFalse(Arrays.equals(othersContext, request.context()), "member 3's request of that seq");
    h.step(new Message.MsgReadIndexResp(2, RaftNodeHarness.ME, 2, 4, othersContext));
    h.awaitStatus(s -> true, "the other member's answer was stepped");
    reader.expectNoMessage(java.time.Duration.ofMillis(200));

    answer(request, 6);
    assertEquals(6L, reader.receiveMessage(RaftNodeHarness.WAIT).getValue());
  }
}
