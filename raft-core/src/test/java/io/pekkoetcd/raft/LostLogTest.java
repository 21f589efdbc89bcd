package io.pekkoetcd.raft;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.raft.Message.MsgHeartbeat;
import org.junit.jupiter.api.Test;

/**
 * A member that lost its log (its data dir was deleted) while the leader still remembers what it
 * had acknowledged: the leader's heartbeat commits beyond the member's last index. Like etcd's
 * raft, the core refuses to go on, with etcd's exact panic text, instead of pretending the entries
 * are there.
 */
class LostLogTest {

  @Test
  void heartbeatCommittingBeyondTheLastIndexFailsWithEtcdsMessage() {
    TestNode blank = TestNode.bootstrapped(3, 1L, 2L, 3L); // log: the bootstrap entry at index 1
    assertThatThrownBy(() -> blank.raw.step(new MsgHeartbeat(1, 3, 2, 7, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "tocommit(7) is out of range [lastIndex(1)]. Was the raft log corrupted, truncated, or"
                + " lost?");
  }
}
