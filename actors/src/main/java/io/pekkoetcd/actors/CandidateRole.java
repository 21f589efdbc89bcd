package io.pekkoetcd.actors;

import io.pekkoetcd.raft.Message;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A candidate, pre-vote being its first phase: Raft counts the votes (its messages leave through
 * the {@link ReadyLoop}); this behaviour only holds what it is asked while no leader is known.
 * Proposals and read-index requests are held ({@link HeldRequests}, bounded: beyond it "etcdserver:
 * no leader"), go to the leader as soon as one is known, and fail with "etcdserver: request timed
 * out" if none appears within the request timeout. It owns nothing.
 */
final class CandidateRole implements RoleBehavior {

  private final RaftContext rc;

  CandidateRole(RaftContext rc) {
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
    rc.held.hold(p, rc.ticks + rc.timeoutTicks);
    return Behaviors.same();
  }

  private Behavior<RaftNode.Command> onReadIndex(RaftNode.ReadIndex r) {
    rc.held.hold(r, rc.ticks + rc.timeoutTicks);
    return Behaviors.same();
  }

  @Override
  public void leave() {}

  @Override
  public void sendSnapshot(Message.MsgSnap snap) {
    rc.ctx.getLog().debug("{} is not the leader: MsgSnap to {} dropped", rc.memberHex(), snap.to());
  }
}
