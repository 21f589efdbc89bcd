package io.pekkoetcd.raft;

import io.pekkoetcd.raft.Message.MsgApp;
import io.pekkoetcd.raft.Message.MsgHeartbeat;
import io.pekkoetcd.raft.Message.MsgPreVoteResp;
import io.pekkoetcd.raft.Message.MsgSnap;

/**
 * A pre-candidate asks whether it could win before raising its term (Raft thesis §9.6). A quorum of
 * yes starts the real election; a leader of our term, or a quorum of no, sends it back to
 * following.
 */
final class PreCandidateStep implements RoleStep {

  static final PreCandidateStep INSTANCE = new PreCandidateStep();

  private PreCandidateStep() {}

  @Override
  public void step(Raft r, Message m) {
    switch (m.type()) {
      case PROP, READ_INDEX, TRANSFER_LEADER -> throw new ProposalDropped(DropReason.NO_LEADER);
      case APP -> {
        r.becomeFollower(r.term, m.from());
        r.handleAppend((MsgApp) m);
      }
      case HEARTBEAT -> {
        r.becomeFollower(r.term, m.from());
        r.handleHeartbeat((MsgHeartbeat) m);
      }
      case SNAP -> {
        r.becomeFollower(r.term, m.from());
        r.handleSnapshot((MsgSnap) m);
      }
      case PRE_VOTE_RESP -> {
        r.tracker.recordVote(m.from(), !((MsgPreVoteResp) m).reject());
        switch (r.tracker.tallyVotes()) {
          case WON -> r.campaign(false);
          case LOST -> r.becomeFollower(r.term, RaftConfig.NONE);
          case PENDING -> {}
        }
      }
      case APP_RESP, VOTE, VOTE_RESP, PRE_VOTE, HEARTBEAT_RESP, READ_INDEX_RESP, TIMEOUT_NOW -> {
        // not for a pre-candidate
      }
    }
  }
}
