package io.pekkoetcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.raft.Message.MsgApp;
import io.pekkoetcd.raft.Message.MsgAppResp;
import io.pekkoetcd.raft.Message.MsgHeartbeatResp;
import io.pekkoetcd.raft.Message.MsgVoteResp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The leader's flow control towards a follower in REPLICATE that does not acknowledge: the window
 * of appends in flight, in messages and in entry bytes, and what a heartbeat response frees (one
 * append, as in etcd raft, not the whole window).
 */
class FlowControlTest {

  private static final int DATA_BYTES = 100;
  private static final long ENTRY_BYTES = DATA_BYTES + Entry.OVERHEAD_BYTES;

  /** Leader 1 of {1, 2, 3} at term 1, both followers in REPLICATE with everything acknowledged. */
  private static TestLeader leader(int maxInflightMsgs, long maxInflightBytes) {
    RaftConfig config =
        new RaftConfig(
            1,
            10,
            1,
            1024 * 1024,
            maxInflightMsgs,
            maxInflightBytes,
            false,
            false,
            new SplittableRandom(1));
    MemoryRaftStorage storage = MemoryRaftStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L));
    TestLeader l = new TestLeader(new RawNode(config, storage), storage);
    l.raw.campaign();
    l.drain();
    l.raw.step(new MsgVoteResp(2, 1, 1, false));
    l.drain(); // the leader's empty entry at index 2, appended to both
    l.raw.step(new MsgAppResp(2, 1, 1, 2, false, 0, 0));
    l.raw.step(new MsgAppResp(3, 1, 1, 2, false, 0, 0));
    l.drain();
    assertThat(l.raw.status().progress().get(2L).state()).isEqualTo(ProgressState.REPLICATE);
    return l;
  }

  @Test
  void aHeartbeatResponseFreesOneAppendOfAFullWindowNotAll() {
    TestLeader l = leader(2, 0);
    assertThat(l.proposeAndCountAppendsTo(2, 3)).isEqualTo(2); // the window holds two
    assertThat(l.inflight(2)).isEqualTo(2);

    l.raw.step(new MsgHeartbeatResp(2, 1, 1, new byte[0]));
    List<MsgApp> afterHeartbeat = l.appendsTo(2, l.drain());
    assertThat(afterHeartbeat).hasSize(1);
    assertThat(afterHeartbeat.get(0).entries()).hasSize(1); // the third proposal, held back
    assertThat(l.inflight(2)).isEqualTo(2);

    // Full again: the next proposal waits for an acknowledgement or the next heartbeat response.
    assertThat(l.proposeAndCountAppendsTo(2, 1)).isZero();
    l.raw.step(new MsgAppResp(2, 1, 1, 4, false, 0, 0));
    List<MsgApp> afterAck = l.appendsTo(2, l.drain());
    assertThat(afterAck).hasSize(1);
    assertThat(afterAck.get(0).entries()).extracting(Entry::index).containsExactly(6L);
  }

  @Test
  void theWindowIsFullOnceItsAppendsCarryMaxInflightBytes() {
    TestLeader l = leader(256, 3 * ENTRY_BYTES);
    assertThat(l.proposeAndCountAppendsTo(2, 5)).isEqualTo(3);
    assertThat(l.inflight(2)).isEqualTo(3);
    // Follower 3 acknowledges everything: commits go on without follower 2.
    assertThat(l.raw.hardState().commit()).isEqualTo(7);

    // An acknowledgement of the first append frees its bytes: the rest goes as one append (an
    // append may cross the bound; only then is the window full).
    l.raw.step(new MsgAppResp(2, 1, 1, 3, false, 0, 0));
    List<MsgApp> afterAck = l.appendsTo(2, l.drain());
    assertThat(afterAck).hasSize(1);
    assertThat(afterAck.get(0).entries()).extracting(Entry::index).containsExactly(6L, 7L);
    assertThat(l.proposeAndCountAppendsTo(2, 1)).isZero();
  }

  @Test
  void withoutAByteBoundOnlyTheMessageCountLimitsTheWindow() {
    TestLeader l = leader(256, 0);
    assertThat(l.proposeAndCountAppendsTo(2, 20)).isEqualTo(20);
    assertThat(l.inflight(2)).isEqualTo(20);
  }

  /** A leader whose followers' answers the test writes itself; follower 3 acknowledges at once. */
  private record TestLeader(RawNode raw, MemoryRaftStorage storage) {
    List<Message> drain() {
      List<Message> out = new ArrayList<>();
      while (raw.hasReady()) {
        Ready rd = raw.ready();
        out.addAll(rd.messages());
        storage.append(rd.entries());
        rd.hardState().ifPresent(storage::setHardState);
        raw.advance(rd);
      }
      return out;
    }

    /** Proposes {@code n} entries one at a time; returns how many appends went to {@code to}. */
    int proposeAndCountAppendsTo(long to, int n) {
      int appends = 0;
      for (int i = 0; i < n; i++) {
        raw.propose(new byte[DATA_BYTES]);
        List<Message> sent = drain();
        appends += appendsTo(to, sent).size();
        for (MsgApp a : appendsTo(3, sent)) {
          long last = a.entries().get(a.entries().size() - 1).index();
          raw.step(new MsgAppResp(3, 1, 1, last, false, 0, 0));
          appends += appendsTo(to, drain()).size();
        }
      }
      return appends;
    }

    /**
     * The appends with entries among {@code sent} to {@code to} (empty ones only carry commits).
     */
    List<MsgApp> appendsTo(long to, List<Message> sent) {
      return sent.stream()
          .filter(m -> m instanceof MsgApp && m.to() == to)
          .map(MsgApp.class::cast)
          .filter(a -> !a.entries().isEmpty())
          .toList();
    }

    int inflight(long member) {
      return raw.status().progress().get(member).inflight();
    }
  }
}
