package io.pekkoetcd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.raft.Message.MsgApp;
import io.pekkoetcd.raft.Message.MsgAppResp;
import io.pekkoetcd.raft.Message.MsgVote;
import io.pekkoetcd.raft.Message.MsgVoteResp;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rules from the Raft paper (Ongaro &amp; Ousterhout, "In Search of an Understandable Consensus
 * Algorithm", extended version) and the thesis, each test quoting the rule and naming its section.
 */
class RaftPaperTest {

  private static byte[] data(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A follower with log [bootstrap@1/1, entries of the given terms from index 2], in {@code term}.
   */
  private static TestNode followerWithLog(long id, long term, long... entryTerms) {
    MemoryRaftStorage storage = MemoryRaftStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L));
    List<Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < entryTerms.length; i++) {
      entries.add(new Entry(entryTerms[i], 2 + i, EntryType.NORMAL, data("e" + (2 + i))));
    }
    storage.append(entries);
    storage.setHardState(new HardState(term, RaftConfig.NONE, 1));
    return new TestNode(id, storage, false, false);
  }

  /**
   * §5.1: "If a server receives a request with a stale term number, it rejects the request" and "If
   * one server's current term is smaller than the other's, then it updates its current term to the
   * larger value. If a candidate or leader discovers that its term is out of date, it immediately
   * reverts to follower state."
   */
  @Test
  void section5_1_higherTermTurnsLeaderIntoFollower_staleTermIsIgnored() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(1);
    TestNode leader = c.node(1);
    assertThat(leader.role()).isEqualTo(Role.LEADER);
    leader.raw.step(new MsgApp(2, 1, 5, 1, 1, List.of(), 1));
    assertThat(leader.role()).isEqualTo(Role.FOLLOWER);
    assertThat(leader.term()).isEqualTo(5);
    assertThat(leader.raw.softState().leader()).isEqualTo(2);

    leader.drain();
    leader.raw.step(
        new MsgApp(3, 1, 4, 1, 1, List.of(new Entry(4, 2, EntryType.NORMAL, data("stale"))), 2));
    assertThat(leader.term()).isEqualTo(5);
    assertThat(leader.raw.status().lastIndex())
        .isEqualTo(2); // nothing appended from the stale term
  }

  /**
   * §5.2: "If a follower receives no communication over a period of time called the election
   * timeout, then it assumes there is no viable leader and begins an election ... Raft uses
   * randomized election timeouts ... chosen randomly from a fixed interval".
   */
  @Test
  void section5_2_followerCampaignsWithinRandomizedElectionTimeout() {
    Set<Integer> timeouts = new HashSet<>();
    for (long id = 1; id <= 20; id++) {
      TestNode n =
          new TestNode(id, MemoryRaftStorage.bootstrap(ConfState.ofVoters(id, 100L)), false, false);
      int ticks = 0;
      while (n.role() == Role.FOLLOWER) {
        n.raw.tick();
        ticks++;
      }
      assertThat(ticks).isBetween(10, 19);
      assertThat(n.role()).isEqualTo(Role.CANDIDATE);
      assertThat(n.term()).isEqualTo(1);
      List<Message> sent = n.drain();
      assertThat(sent).singleElement().isInstanceOf(MsgVote.class);
      timeouts.add(ticks);
    }
    assertThat(timeouts).hasSizeGreaterThan(3);
  }

  /**
   * §5.2: "A candidate wins an election if it receives votes from a majority of the servers ... for
   * the same term".
   */
  @Test
  void section5_2_candidateWinsWithMajorityAndLosesWithMajorityRejections() {
    TestNode n = TestNode.bootstrapped(1, 1L, 2L, 3L, 4L, 5L);
    n.raw.campaign();
    n.drain();
    n.raw.step(new MsgVoteResp(2, 1, 1, false));
    assertThat(n.role()).isEqualTo(Role.CANDIDATE);
    n.raw.step(new MsgVoteResp(3, 1, 1, false));
    assertThat(n.role()).isEqualTo(Role.LEADER);

    TestNode loser = TestNode.bootstrapped(1, 1L, 2L, 3L);
    loser.raw.campaign();
    loser.raw.step(new MsgVoteResp(2, 1, 1, true));
    loser.raw.step(new MsgVoteResp(3, 1, 1, true));
    assertThat(loser.role()).isEqualTo(Role.FOLLOWER);
  }

  /**
   * §5.2: "Each server will vote for at most one candidate in a given term, on a
   * first-come-first-served basis".
   */
  @Test
  void section5_2_atMostOneVotePerTerm() {
    TestNode voter = TestNode.bootstrapped(3, 1L, 2L, 3L);
    voter.raw.step(new MsgVote(1, 3, 1, 1, 1, false));
    voter.raw.step(new MsgVote(2, 3, 1, 1, 1, false));
    voter.raw.step(new MsgVote(1, 3, 1, 1, 1, false)); // a retransmission is granted again
    List<Message> answers = voter.drain();
    assertThat(answers)
        .extracting(m -> ((MsgVoteResp) m).reject())
        .containsExactly(false, true, false);
    assertThat(voter.storage.hardState().vote()).isEqualTo(1);
  }

  /**
   * §5.2: "While waiting for votes, a candidate may receive an AppendEntries RPC from another
   * server claiming to be leader. If the leader's term ... is at least as large as the candidate's
   * current term, then the candidate recognizes the leader as legitimate and returns to follower
   * state."
   */
  @Test
  void section5_2_candidateAcceptsLeaderOfItsTerm() {
    TestNode n = TestNode.bootstrapped(1, 1L, 2L, 3L);
    n.raw.campaign();
    assertThat(n.role()).isEqualTo(Role.CANDIDATE);
    n.raw.step(new MsgApp(2, 1, 1, 1, 1, List.of(), 1));
    assertThat(n.role()).isEqualTo(Role.FOLLOWER);
    assertThat(n.raw.softState().leader()).isEqualTo(2);
  }

  /**
   * §5.3: "If a follower does not find an entry in its log with the same index and term, then it
   * refuses the new entries" — and its answer helps the leader skip a whole conflicting term (the
   * optimization of §5.3).
   */
  @Test
  void section5_3_followerRejectsMismatchedPreviousEntryWithHint() {
    TestNode f = followerWithLog(2, 3, 2, 2, 3);
    f.raw.step(new MsgApp(1, 2, 4, 4, 5, List.of(new Entry(4, 6, EntryType.NORMAL, data("x"))), 1));
    MsgAppResp resp = (MsgAppResp) f.drain().get(0);
    assertThat(resp.reject()).isTrue();
    assertThat(resp.index()).isEqualTo(5); // the rejected previous index
    assertThat(resp.rejectHint()).isEqualTo(4); // our last index with a term ≤ 4
    assertThat(resp.logTerm()).isEqualTo(3);
    assertThat(f.raw.status().lastIndex()).isEqualTo(4);
  }

  /**
   * §5.3: "If an existing entry conflicts with a new one (same index but different terms), delete
   * the existing entry and all that follow it".
   */
  @Test
  void section5_3_conflictingSuffixIsTruncated() {
    TestNode f = followerWithLog(2, 3, 2, 3, 3);
    f.raw.step(
        new MsgApp(1, 2, 4, 2, 2, List.of(new Entry(4, 3, EntryType.NORMAL, data("new"))), 1));
    MsgAppResp resp = (MsgAppResp) f.drain().get(0);
    assertThat(resp.reject()).isFalse();
    assertThat(resp.index()).isEqualTo(3);
    assertThat(f.storage.lastIndex()).isEqualTo(3);
    assertThat(f.storage.term(3)).isEqualTo(4);
    assertThat(f.storage.entries(3, 4, Long.MAX_VALUE).get(0).data()).isEqualTo(data("new"));
  }

  /**
   * §5.3: "When sending an AppendEntries RPC, the leader includes the index and term of the entry
   * immediately preceding the new entries"; a proposal reaches the followers and commits once a
   * majority stored it.
   */
  @Test
  void section5_3_leaderReplicatesAndCommitsProposal() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(1);
    c.node(1).raw.propose(data("hello"));
    c.stabilize();
    for (TestNode n : c.nodes.values()) {
      assertThat(n.commit()).isEqualTo(3);
      assertThat(n.applied)
          .extracting(e -> new String(e.data(), StandardCharsets.UTF_8))
          .contains("hello");
    }
  }

  /**
   * §5.4.1: "the voter denies its vote if its own log is more up-to-date than that of the candidate
   * ... If the logs have last entries with different terms, then the log with the later term is
   * more up-to-date. If the logs end with the same term, then whichever log is longer is more
   * up-to-date."
   */
  @Test
  void section5_4_1_voteDeniedToLessUpToDateCandidate() {
    TestNode voter = followerWithLog(3, 2, 2, 2);
    voter.raw.step(new MsgVote(1, 3, 3, 1, 10, false)); // older last term, longer log: denied
    voter.raw.step(new MsgVote(2, 3, 4, 2, 2, false)); // same last term, shorter log: denied
    voter.raw.step(new MsgVote(1, 3, 5, 2, 3, false)); // same last term, same length: granted
    assertThat(voter.drain())
        .extracting(m -> ((MsgVoteResp) m).reject())
        .containsExactly(true, true, false);
  }

  /**
   * §5.4.2: "Raft never commits log entries from previous terms by counting replicas. Only log
   * entries from the leader's current term are committed by counting replicas" (Figure 8).
   */
  @Test
  void section5_4_2_previousTermEntryIsNotCommittedByCounting() {
    TestNode leader = followerWithLog(1, 2, 2);
    leader.raw.campaign();
    leader.raw.step(new MsgVoteResp(2, 1, 3, false));
    assertThat(leader.role()).isEqualTo(Role.LEADER);
    assertThat(leader.term()).isEqualTo(3);
    leader.drain();
    // Follower 2 acknowledges only the term-2 entry at index 2: a majority holds it, yet it must
    // not commit.
    leader.raw.step(new MsgAppResp(2, 1, 3, 2, false, 0, 0));
    assertThat(leader.commit()).isEqualTo(1);
    // Once the current term's no-op (index 3) is on a majority, both commit.
    leader.raw.step(new MsgAppResp(2, 1, 3, 3, false, 0, 0));
    assertThat(leader.commit()).isEqualTo(3);
  }

  /** §5.4 / §8: "each leader commits a blank no-op entry into the log at the start of its term". */
  @Test
  void section8_newLeaderAppendsNoOpOfItsTerm() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(2);
    Entry last = c.node(2).storage.entries(2, 3, Long.MAX_VALUE).get(0);
    assertThat(last.term()).isEqualTo(c.node(2).term());
    assertThat(last.data()).isEmpty();
  }

  /**
   * §6: "we restrict the types of change that are allowed: only one server can be added or removed
   * from the cluster at a time" (thesis §4.1) — a second change is refused until the first is
   * applied.
   */
  @Test
  void section6_oneMembershipChangeAtATime() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(1);
    c.node(1).raw.proposeConfChange(ConfChange.remove(3));
    assertThatThrownBy(() -> c.node(1).raw.proposeConfChange(ConfChange.addLearner(4)))
        .isInstanceOfSatisfying(
            ProposalDropped.class,
            d -> assertThat(d.reason()).isEqualTo(DropReason.CONF_CHANGE_PENDING));
    c.stabilize();
    assertThat(c.node(1).raw.status().confState().voters()).containsExactly(1L, 2L);
    c.node(1).raw.proposeConfChange(ConfChange.addLearner(4));
  }

  /**
   * §6: "the leader steps down (returns to follower state) once it has committed the Cnew log
   * entry" if removed.
   */
  @Test
  void section6_removedLeaderStepsDown() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(1);
    c.node(1).raw.proposeConfChange(ConfChange.remove(1));
    c.stabilize();
    assertThat(c.node(1).role()).isEqualTo(Role.FOLLOWER);
    assertThat(c.node(2).raw.status().confState().voters()).containsExactly(2L, 3L);
  }

  /**
   * §6 (check-quorum, thesis §6.2): a leader that cannot reach a majority for an election timeout
   * steps down.
   */
  @Test
  void section6_leaderWithoutQuorumStepsDown() {
    TestCluster c = TestCluster.of(3, true, true);
    c.elect(1);
    c.isolated.add(1L);
    for (int i = 0; i < 20 && c.node(1).role() == Role.LEADER; i++) {
      c.node(1).raw.tick();
      c.stabilize();
    }
    assertThat(c.node(1).role()).isEqualTo(Role.FOLLOWER);
  }

  /**
   * §7: "the leader must occasionally send snapshots to followers that lag behind ... when the
   * leader has already discarded the next log entry that it needs to send"; the follower "discards
   * its entire log; it is all superseded by the snapshot".
   */
  @Test
  void section7_laggingFollowerIsCaughtUpBySnapshot() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(1);
    c.isolated.add(3L);
    for (int i = 0; i < 5; i++) {
      c.node(1).raw.propose(data("v" + i));
    }
    c.stabilize();
    TestNode leader = c.node(1);
    long applied = leader.applied.get(leader.applied.size() - 1).index();
    leader.storage.createSnapshot(applied, ConfState.ofVoters(1L, 2L, 3L), data("state"));
    leader.storage.compact(applied);
    c.isolated.clear();
    c.node(1).raw.tick();
    c.stabilize();
    TestNode follower = c.node(3);
    assertThat(follower.storage.snapshot().index()).isEqualTo(applied);
    assertThat(follower.storage.snapshot().data()).isEqualTo(data("state"));
    assertThat(follower.commit()).isEqualTo(leader.commit());
  }

  /**
   * Thesis §9.6: "a server first asks whether it could win an election before incrementing its
   * term".
   */
  @Test
  void thesis9_6_preVoteDoesNotRaiseTheTermOfAnIsolatedMember() {
    TestCluster c = TestCluster.of(3, true, true);
    c.elect(1);
    long term = c.node(1).term();
    c.isolated.add(3L);
    for (int i = 0; i < 100; i++) {
      c.node(3).raw.tick();
      c.stabilize();
    }
    assertThat(c.node(3).term()).isEqualTo(term);
    c.isolated.clear();
    c.tickAll(3);
    assertThat(c.node(1).role()).isEqualTo(Role.LEADER);
    assertThat(c.node(1).term()).isEqualTo(term);
    assertThat(c.node(3).raw.softState().leader()).isEqualTo(1);
  }

  /**
   * Proposals on a follower without a leader are refused with a reason the caller can map to etcd's
   * error.
   */
  @Test
  void proposalWithoutLeaderIsDropped() {
    TestNode n = TestNode.bootstrapped(1, 1L, 2L, 3L);
    assertThatThrownBy(() -> n.raw.propose(data("x")))
        .isInstanceOfSatisfying(
            ProposalDropped.class, d -> assertThat(d.reason()).isEqualTo(DropReason.NO_LEADER));
  }

  /** Proposals on a follower are forwarded to the leader (etcd's behaviour). */
  @Test
  void proposalOnFollowerIsForwarded() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(1);
    c.node(2).raw.propose(data("via-follower"));
    c.stabilize();
    assertThat(c.node(1).applied)
        .extracting(e -> new String(e.data(), StandardCharsets.UTF_8))
        .contains("via-follower");
  }

  /** Restart: hard state and log come back from storage; nothing volatile is needed. */
  @Test
  void restartRecoversTermVoteAndLog() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(1);
    c.node(1).raw.propose(data("durable"));
    c.stabilize();
    TestNode before = c.node(2);
    TestNode after = new TestNode(2, before.storage, false, false);
    assertThat(after.raw.hardState()).isEqualTo(before.storage.hardState());
    assertThat(after.raw.status().lastIndex()).isEqualTo(before.storage.lastIndex());
    assertThat(after.drain()).isEmpty();
    assertThat(after.applied)
        .extracting(e -> new String(e.data(), StandardCharsets.UTF_8))
        .contains("durable");
  }
}
