package io.pekkoetcd.actors;

import io.pekkoetcd.raft.Message;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The leader: proposals go into its log (they leave in the next Ready), read-index requests are
 * confirmed by a heartbeat quorum ({@link ReadIndexes}), and it owns the MVCC snapshot transfers to
 * followers that need compacted entries ({@link SnapshotSenders}). Stepping down stops them.
 */
final class LeaderRole implements RoleBehavior {

  private final RaftContext rc;
  private final SnapshotSenders senders;

  LeaderRole(RaftContext rc) {
    this.rc = rc;
    this.senders = new SnapshotSenders(rc);
  }

  @Override
  public Behavior<RaftNode.Command> behavior() {
    return rc.common()
        .onMessage(RaftNode.Propose.class, this::onPropose)
        .onMessage(RaftNode.ReadIndex.class, this::onReadIndex)
        .onMessage(RaftNode.SnapshotFinished.class, senders::onFinished)
        .onMessage(RaftNode.SenderStopped.class, senders::onStopped)
        .build();
  }

  private Behavior<RaftNode.Command> onPropose(RaftNode.Propose p) {
    if (rc.loop.admit(p)) {
      rc.held.propose(p, rc.ticks + rc.timeoutTicks);
      rc.loop.drive();
    }
    return rc.next();
  }

  private Behavior<RaftNode.Command> onReadIndex(RaftNode.ReadIndex r) {
    rc.reads.read(r, rc.ticks + rc.timeoutTicks);
    rc.loop.drive();
    return rc.next();
  }

  @Override
  public void leave() {
    if (senders.size() > 0) {
      rc.ctx
          .getLog()
          .info(
              "{} stepped down: stopping {} snapshot transfer(s)", rc.memberHex(), senders.size());
    }
    senders.stopAll();
  }

  @Override
  public void sendSnapshot(Message.MsgSnap snap) {
    senders.start(snap);
  }
}
