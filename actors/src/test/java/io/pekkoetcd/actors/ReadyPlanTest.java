package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.Ready;
import io.pekkoetcd.raft.Snapshot;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadyPlanTest {
  static final Entry ENTRY = new Entry(2, 5, EntryType.NORMAL, new byte[] {1});
  static final Message APP = new Message.MsgApp(1, 2, 2, 2, 4, List.of(ENTRY), 4);
  static final Message HEARTBEAT = new Message.MsgHeartbeat(1, 3, 2, 4, new byte[0]);
  static final Message SNAP =
      new Message.MsgSnap(
          1, 3, 2, new Snapshot(4, 2, new ConfState(Set.of(1L, 2L, 3L), Set.of()), null));
  static final Message APP_RESP = new Message.MsgAppResp(2, 1, 2, 5, false, 0, 0);
  static final Message VOTE_RESP = new Message.MsgVoteResp(2, 3, 3, false);

  static Ready ready(
      Optional<HardState> hs,
      List<Entry> entries,
      Optional<Snapshot> snap,
      List<Message> msgs,
      boolean mustSync) {
    return new Ready(Optional.empty(), hs, List.of(), entries, snap, List.of(), msgs, mustSync);
  }

  @Test
  void aLeaderSendsItsAppendsAndHeartbeatsBeforeItsOwnWrite() {
    Ready rd =
        ready(
            Optional.of(new HardState(2, 1, 4)),
            List.of(ENTRY),
            Optional.empty(),
            List.of(APP, HEARTBEAT, SNAP),
            true);
    ReadyPlan plan = ReadyPlan.of(rd, true);
    assertThat(plan.beforeWrite()).containsExactly(APP, HEARTBEAT);
    assertThat(plan.afterWrite()).containsExactly(SNAP);
    assertThat(plan.write()).isTrue();
  }

  @Test
  void everyOtherMemberSendsOnlyWhatItHasWritten() {
    // A follower's acknowledgement, a vote: after the write; the same messages from a non-leader
    // never go early.
    Ready rd =
        ready(
            Optional.of(new HardState(3, 3, 4)),
            List.of(),
            Optional.empty(),
            List.of(APP_RESP, VOTE_RESP, APP),
            true);
    ReadyPlan plan = ReadyPlan.of(rd, false);
    assertThat(plan.beforeWrite()).isEmpty();
    assertThat(plan.afterWrite()).containsExactly(APP_RESP, VOTE_RESP, APP);
    assertThat(plan.write()).isTrue();
  }

  @Test
  void aCommitIndexAloneIsNotWritten() {
    Ready commitOnly =
        ready(
            Optional.of(new HardState(2, 1, 5)),
            List.of(),
            Optional.empty(),
            List.of(APP_RESP),
            false);
    assertThat(ReadyPlan.of(commitOnly, false).write()).isFalse();
    assertThat(ReadyPlan.of(commitOnly, false).afterWrite()).containsExactly(APP_RESP);
    // A received snapshot is written even when Raft does not ask for a sync.
    Ready snapshot =
        ready(
            Optional.empty(),
            List.of(),
            Optional.of(new Snapshot(9, 2, new ConfState(Set.of(1L), Set.of()), null)),
            List.of(),
            false);
    assertThat(ReadyPlan.of(snapshot, false).write()).isTrue();
  }
}
