package io.pekkoetcd.actors;

import io.pekkoetcd.watch.WatchHub;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * etcd's monitorLeader: once per election timeout it asks the {@link RaftNode} whether a leader is
 * known, counts the consecutive checks without one, and from the third on tells the {@link
 * WatchHub} {@link WatchHub.NoLeader} at every check, which ends the Watch streams opened with
 * {@code hasleader: true} ("etcdserver: no leader"). Streams opened without that metadata are not
 * affected. A check that finds a leader resets the count.
 *
 * <p>Time is the actor's timer (virtual under Pekko's ManualTime in tests). The monitor only reads
 * the node's status; it never changes Raft state.
 */
final class LeaderMonitor extends AbstractBehavior<LeaderMonitor.Command> {
  /** Checks without a leader after which hasleader streams are ended (etcd's maxNoLeaderCnt). */
  static final int MAX_NO_LEADER_CHECKS = 3;

  sealed interface Command {}

  private enum Check implements Command {
    INSTANCE
  }

  private record Checked(RaftNode.RaftStatus status) implements Command {}

  private final ActorRef<RaftNode.Command> raft;
  private final ActorRef<WatchHub.Command> hub;
  private final ActorRef<RaftNode.RaftStatus> statusAdapter;
  private int checksWithoutLeader;

  /**
   * Check {@code raft} every {@code electionTimeout}; tell {@code hub} when the leader has been
   * gone too long.
   */
  static Behavior<Command> create(
      ActorRef<RaftNode.Command> raft, ActorRef<WatchHub.Command> hub, Duration electionTimeout) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new LeaderMonitor(ctx, timers, raft, hub, electionTimeout)));
  }

  private LeaderMonitor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      ActorRef<RaftNode.Command> raft,
      ActorRef<WatchHub.Command> hub,
      Duration electionTimeout) {
    super(ctx);
    this.raft = raft;
    this.hub = hub;
    this.statusAdapter = ctx.messageAdapter(RaftNode.RaftStatus.class, Checked::new);
    timers.startTimerWithFixedDelay(Check.INSTANCE, electionTimeout);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Check.INSTANCE, this::onCheck)
        .onMessage(Checked.class, this::onChecked)
        .build();
  }

  private Behavior<Command> onCheck() {
    raft.tell(new RaftNode.GetStatus(statusAdapter));
    return this;
  }

  private Behavior<Command> onChecked(Checked c) {
    if (c.status().leader() != 0) {
      checksWithoutLeader = 0;
      return this;
    }
    checksWithoutLeader++;
    if (checksWithoutLeader >= MAX_NO_LEADER_CHECKS) {
      hub.tell(WatchHub.NoLeader.INSTANCE);
    }
    return this;
  }
}
