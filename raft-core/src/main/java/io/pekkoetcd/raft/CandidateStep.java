package io.pekkoetcd.raft;

import io.pekkoetcd.raft.Message.MsgApp;
import io.pekkoetcd.raft.Message.MsgHeartbeat;
import io.pekkoetcd.raft.Message.MsgSnap;
import io.pekkoetcd.raft.Message.MsgVoteResp;

/**
 * A candidate counts votes for its term (Raft §5.2): a quorum makes it leader, a quorum of
 * rejections or a leader of its term makes it a follower; otherwise it campaigns again after a new
 * randomized timeout.
 */
final class CandidateStep implements RoleStep {

  static final CandidateStep INSTANCE = new CandidateStep();

  private CandidateStep() {}

  @Override
  public void step(Raft r, Message m) {
    switch (m.type()) {
      case PROP, READ_INDEX, TRANSFER_LEADER -> throw new ProposalDropped(DropReason.NO_LEADER);
      case APP -> {
        r.becomeFollower(m.term(), m.from());
        r.handleAppend((MsgApp) m);
      }
      case HEARTBEAT -> {
        r.becomeFollower(m.term(), m.from());
        r.handleHeartbeat((MsgHeartbeat) m);
      }
      case SNAP -> {
        r.becomeFollower(m.term(), m.from());
        r.handleSnapshot((MsgSnap) m);
      }
      case VOTE_RESP -> {
        r.tracker.recordVote(m.from(), !((MsgVoteResp) m).reject());
        switch (r.tracker.tallyVotes()) {
          case WON -> {
            r.becomeLeader();
            LeaderStep.broadcastAppend(r);
          }
          case LOST -> r.becomeFollower(r.term, RaftConfig.NONE);
          case PENDING -> {}
        }
      }
      case APP_RESP,
          VOTE,
          PRE_VOTE,
          PRE_VOTE_RESP,
          HEARTBEAT_RESP,
          READ_INDEX_RESP,
          TIMEOUT_NOW -> {
        // not for a candidate
      }
    }
  }
}
