package io.pekkoetcd.raft;

import io.pekkoetcd.raft.Message.MsgPreVote;
import io.pekkoetcd.raft.Message.MsgPreVoteResp;
import io.pekkoetcd.raft.Message.MsgVote;
import io.pekkoetcd.raft.Message.MsgVoteResp;

/**
 * Elections of one {@link Raft}: starting one (pre-vote first, Raft thesis §9.6), campaigning, and
 * answering (pre-)vote requests (Raft §5.2, §5.4.1). Stateless: every method works on the given
 * member's state, on its thread; the term rules that run before a vote request is answered stay in
 * {@link Raft#step}.
 */
final class Election {
  private Election() {}

  /**
   * Raft §5.2/§5.4.1: at most one vote per term, only for a candidate whose log is at least as up
   * to date as ours. A pre-vote is granted for any future term without recording anything.
   */
  static void handleVoteRequest(
      Raft r, long candidate, long candidateTerm, long lastIndex, long lastTerm, boolean pre) {
    boolean canVote =
        r.vote == candidate
            || (r.vote == RaftConfig.NONE && r.lead == RaftConfig.NONE)
            || (pre && candidateTerm > r.term);
    if (canVote && r.log.isUpToDate(lastIndex, lastTerm)) {
      r.send(
          pre
              ? new MsgPreVoteResp(r.id, candidate, candidateTerm, false)
              : new MsgVoteResp(r.id, candidate, candidateTerm, false));
      if (!pre) {
        r.electionElapsed = 0;
        r.vote = candidate;
      }
    } else {
      r.send(
          pre
              ? new MsgPreVoteResp(r.id, candidate, r.term, true)
              : new MsgVoteResp(r.id, candidate, r.term, true));
    }
  }

  /** Start an election (a pre-election first, unless disabled or this is a leadership transfer). */
  static void hup(Raft r, boolean transfer) {
    if (r.role == Role.LEADER || !r.promotable() || hasUnappliedConfChanges(r)) {
      return;
    }
    if (r.config.preVote() && !transfer) {
      campaignPreVote(r);
    } else {
      campaign(r, transfer);
    }
  }

  /**
   * A committed but unapplied conf change means our configuration may be stale: do not campaign on
   * it.
   */
  private static boolean hasUnappliedConfChanges(Raft r) {
    RaftLog log = r.log;
    if (log.applied() >= log.committed()) {
      return false;
    }
    long lo = Math.max(log.applied() + 1, log.firstIndex());
    for (Entry e : log.slice(lo, log.committed() + 1, Long.MAX_VALUE)) {
      if (e.type() == EntryType.CONF_CHANGE) {
        return true;
      }
    }
    return false;
  }

  private static void campaignPreVote(Raft r) {
    r.becomePreCandidate();
    r.tracker.recordVote(r.id, true);
    if (r.tracker.tallyVotes() == VoteResult.WON) {
      campaign(r, false);
      return;
    }
    for (long voter : r.tracker.confState().voters()) {
      if (voter != r.id) {
        r.send(new MsgPreVote(r.id, voter, r.term + 1, r.log.lastTerm(), r.log.lastIndex(), false));
      }
    }
  }

  /** Become candidate at the next term, vote for ourselves, and ask every other voter. */
  static void campaign(Raft r, boolean transfer) {
    r.becomeCandidate();
    r.tracker.recordVote(r.id, true);
    if (r.tracker.tallyVotes() == VoteResult.WON) {
      r.becomeLeader();
      return;
    }
    for (long voter : r.tracker.confState().voters()) {
      if (voter != r.id) {
        r.send(new MsgVote(r.id, voter, r.term, r.log.lastTerm(), r.log.lastIndex(), transfer));
      }
    }
  }
}
