package io.pekkoetcd.actors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A leader stops pipelining to a peer the transport reports unreachable ({@link
 * RaftNode.PeerReachability}): every append sent to it is reported to Raft as a failed send, as
 * etcd reports each failed send ({@code ReportUnreachable}), so that peer drops from replicating to
 * probing (one append in flight) while the others go on.
 */
class PeerReachabilityTest {

  private final RaftNodeHarness h = new RaftNodeHarness();

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void appendsToAnUnreachablePeerStopAfterOneProbe() {
    h.becomeLeader();
    // The new leader's empty entry, to both followers; member 3 has it at once: it replicates.
    Message.MsgApp first = h.awaitSent(Message.MsgApp.class, m -> m.to() == 3);
    long last = first.index() + first.entries().size();
    h.step(new Message.MsgAppResp(3, 1, first.term(), last, false, 0, 0));

    h.node.tell(new RaftNode.PeerReachability(2, false));
    // Member 2's answer still arrives (the failure detector is slower than the network): it would
    // replicate from here on, but every append to it is now reported as a failed send.
    h.step(new Message.MsgAppResp(2, 1, first.term(), last, false, 0, 0));

    List<Message.MsgApp> toTwo = new ArrayList<>();
    List<InternalRaftRequest> proposals = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      InternalRaftRequest put = RaftNodeHarness.put(h.pending.register().id(), "k" + i);
      proposals.add(put);
      h.node.tell(new RaftNode.Propose(put));
      h.awaitSent(
          Message.class,
          m -> {
            if (m instanceof Message.MsgApp app && app.to() == 2) {
              toTwo.add(app);
            }
            return m instanceof Message.MsgApp app && app.to() == 3 && carries(app, put);
          });
      // The node handled the append's failure report before this round trip ends, and so before
      // the next proposal.
      h.awaitStatus(s -> true, "status");
    }
    assertTrue(
        toTwo.stream().anyMatch(app -> carries(app, proposals.get(0))),
        "the first proposal still went to member 2 (its probe); sent: " + toTwo);
    assertFalse(
        toTwo.stream().anyMatch(app -> carries(app, proposals.get(2))),
        "member 2 is probing, not pipelining: " + toTwo);
  }

  private static boolean carries(Message.MsgApp app, InternalRaftRequest r) {
    for (Entry e : app.entries()) {
      if (RaftNodeHarness.carries(e, r)) {
        return true;
      }
    }
    return false;
  }
}
