package io.pekkoetcd.actors;

import io.pekkoetcd.raft.Message;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A follower: proposals and read-index requests go to the leader it knows, through Raft (MsgProp,
 * MsgReadIndex); the proposer's request completes when its entry is applied here, a read when the
 * leader's read index comes back. Knowing no leader (between elections), it holds them ({@link
 * HeldRequests}). It owns nothing: snapshot reports from an earlier leadership are ignored.
 */
final class FollowerRole implements RoleBehavior {

  private final RaftContext rc;

  FollowerRole(RaftContext rc) {
    this.rc = rc;
  }

  @Override
  public Behavior<RaftNode.Command> behavior() {
    return rc.common()
        .onMessage(RaftNode.Propose.class, this::onPropose)
        .onMessage(RaftNode.ReadIndex.class, this::onReadIndex)
        .onMessage(RaftNode.SnapshotFinished.class, SnapshotSenders::ignore)
        .onMessage(RaftNode.SenderStopped.class, SnapshotSenders::ignore)
        .build();
  }

  private Behavior<RaftNode.Command> onPropose(RaftNode.Propose p) {
    if (rc.loop.admit(p)) {
      rc.held.propose(p, rc.ticks + rc.timeoutTicks); // forwarded to the leader by Raft
      rc.loop.drive();
    }
    return rc.next();
  }

  private Behavior<RaftNode.Command> onReadIndex(RaftNode.ReadIndex r) {
    rc.reads.read(r, rc.ticks + rc.timeoutTicks); // forwarded to the leader by Raft
    rc.loop.drive();
    return rc.next();
  }

  @Override
  public void leave() {}

  @Override
  public void sendSnapshot(Message.MsgSnap snap) {
    rc.ctx.getLog().debug("{} is not the leader: MsgSnap to {} dropped", rc.memberHex(), snap.to());
  }
}
