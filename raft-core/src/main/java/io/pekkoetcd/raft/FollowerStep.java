package io.pekkoetcd.raft;

import io.pekkoetcd.raft.Message.MsgApp;
import io.pekkoetcd.raft.Message.MsgHeartbeat;
import io.pekkoetcd.raft.Message.MsgReadIndexResp;
import io.pekkoetcd.raft.Message.MsgSnap;

/**
 * A follower accepts the leader's log and forwards requests to it; without a leader it drops them.
 */
final class FollowerStep implements RoleStep {

  static final FollowerStep INSTANCE = new FollowerStep();

  private FollowerStep() {}

  @Override
  public void step(Raft r, Message m) {
    switch (m.type()) {
      case PROP, READ_INDEX, TRANSFER_LEADER -> {
        if (r.lead == RaftConfig.NONE) {
          throw new ProposalDropped(DropReason.NO_LEADER);
        }
        r.send(m.withTo(r.lead));
      }
      case APP -> {
        r.electionElapsed = 0;
        r.lead = m.from();
        r.handleAppend((MsgApp) m);
      }
      case HEARTBEAT -> {
        r.electionElapsed = 0;
        r.lead = m.from();
        r.handleHeartbeat((MsgHeartbeat) m);
      }
      case SNAP -> {
        r.electionElapsed = 0;
        r.lead = m.from();
        r.handleSnapshot((MsgSnap) m);
      }
      case TIMEOUT_NOW ->
          r.hup(true); // transfer: skip pre-vote, we know the leader wants us to win
      case READ_INDEX_RESP -> {
        MsgReadIndexResp resp = (MsgReadIndexResp) m;
        r.readStates.add(new ReadState(resp.index(), resp.context()));
      }
      case APP_RESP, VOTE, VOTE_RESP, PRE_VOTE, PRE_VOTE_RESP, HEARTBEAT_RESP -> {
        // stale answers to a role we no longer have; votes are handled in Raft.step
      }
    }
  }
}
