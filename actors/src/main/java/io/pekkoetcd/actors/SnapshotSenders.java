package io.pekkoetcd.actors;

import io.pekkoetcd.raft.Message;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A leader's MVCC snapshot transfers: at most one {@link SnapshotSender} child per follower (Raft
 * asks again after its snapshot timeout; the running transfer answers for both). Its outcome
 * becomes {@code reportSnapshot}; a sender that stops without reporting failed. Owned by one {@link
 * LeaderRole}: {@link #stopAll()} when it steps down.
 */
final class SnapshotSenders {

  /** Makes the sender for a {@code MsgSnap}, or none when the follower cannot be reached. */
  @FunctionalInterface
  interface Factory {
    Optional<Behavior<SnapshotSender.Command>> create(
        ActorSystem<?> system, Message.MsgSnap snap, ActorRef<SnapshotSender.Finished> replyTo);
  }

  /** Streams the MVCC store to the follower's {@link SnapshotReceiver} over Pekko Cluster. */
  static Factory streaming(
      MemberConfig config, PeerDirectory directory, ActorRef<KvActor.Command> kv) {
    return (system, snap, replyTo) ->
        PeerTransport.snapshotTarget(system, directory, snap.to())
            .map(
                target ->
                    SnapshotSender.create(
                        config.clusterId(),
                        snap,
                        kv,
                        target,
                        replyTo,
                        SnapshotSender.Settings.defaults()));
  }

  private final RaftContext rc;
  private final ActorRef<SnapshotSender.Finished> finishedAdapter;
  private final Map<Long, ActorRef<SnapshotSender.Command>> running = new HashMap<>();

  SnapshotSenders(RaftContext rc) {
    this.rc = rc;
    this.finishedAdapter =
        rc.ctx.messageAdapter(SnapshotSender.Finished.class, RaftNode.SnapshotFinished::new);
  }

  int size() {
    return running.size();
  }

  /** Stream the MVCC store with {@code snap}, unless a transfer to that follower is running. */
  void start(Message.MsgSnap snap) {
    long peer = snap.to();
    if (running.containsKey(peer)) {
      return;
    }
    Optional<Behavior<SnapshotSender.Command>> sender =
        rc.deps.snapshotSender().create(rc.ctx.getSystem(), snap, finishedAdapter);
    if (sender.isEmpty()) {
      return;
    }
    ActorRef<SnapshotSender.Command> ref =
        rc.ctx.spawn(
            sender.get(),
            "snapshot-to-" + Long.toHexString(peer) + "-" + (++rc.snapshotSeq),
            DispatcherSelector.fromConfig(RaftNode.SNAPSHOT_DISPATCHER));
    rc.ctx.watchWith(ref, new RaftNode.SenderStopped(peer, ref));
    running.put(peer, ref);
    rc.loop.retention.transferStarted(peer, snap.snapshot().index());
  }

  Behavior<RaftNode.Command> onFinished(RaftNode.SnapshotFinished f) {
    long peer = f.finished().peer();
    // Only the running transfer's report counts: a sender stopped when its leader stepped down may
    // still report after this member became leader again and started a new one.
    if (f.finished().sender().equals(running.get(peer))) { // equal refs, not one object
      rc.ctx.unwatch(f.finished().sender());
      running.remove(peer);
      rc.loop.retention.transferEnded(peer, f.finished().success());
      if (f.finished().success()) {
        rc.snapshotsSent++;
      }
      rc.node.reportSnapshot(peer, f.finished().success());
      rc.loop.drive();
    }
    return rc.next();
  }

  /** A sender that stopped without reporting (it failed): the snapshot was not delivered. */
  Behavior<RaftNode.Command> onStopped(RaftNode.SenderStopped s) {
    if (s.sender().equals(running.get(s.peer()))) {
      running.remove(s.peer());
      rc.loop.retention.transferEnded(s.peer(), false);
      rc.node.reportSnapshot(s.peer(), false);
      rc.loop.drive();
    }
    return rc.next();
  }

  /** Stop every transfer (the leader stepped down): their late reports are ignored. */
  void stopAll() {
    for (ActorRef<SnapshotSender.Command> ref : running.values()) {
      rc.ctx.unwatch(ref);
      rc.ctx.stop(ref);
    }
    running.clear();
    rc.loop.retention.leaderLeft();
  }

  static Behavior<RaftNode.Command> ignore(RaftNode.Command stale) {
    return Behaviors.same();
  }
}
