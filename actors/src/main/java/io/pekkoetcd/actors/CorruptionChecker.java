package io.pekkoetcd.actors;

import io.pekkoetcd.actors.CorruptionCheck.Hashed;
import io.pekkoetcd.protocol.etcdserverpb.AlarmRequest;
import io.pekkoetcd.protocol.etcdserverpb.AlarmType;
import io.pekkoetcd.protocol.etcdserverpb.HashKVResponse;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * etcd's periodic corruption check ({@code --experimental-corrupt-check-time}): every period, if
 * this member leads, it reads its own HashKV, asks every peer for theirs at that revision, reads
 * its own again, and lets {@link CorruptionCheck#periodic} decide; a corrupt member gets a CORRUPT
 * alarm, proposed through Raft like an operator's (every member then refuses writes with
 * "etcdserver: corrupt cluster"). One check at a time: a tick during a check is dropped.
 */
final class CorruptionChecker extends AbstractBehavior<CorruptionChecker.Command> {

  sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** A check ended: the member to alarm, if any (empty also when this member does not lead). */
  private record Checked(OptionalLong corrupt, Throwable failure) implements Command {}

  static final String NAME = "corruption-check";

  private final MemberConfig config;
  private final PeerDirectory directory;
  private final ActorRef<RaftNode.Command> raft;
  private final ActorRef<KvActor.Command> kv;
  private final Duration timeout;
  private boolean checking;

  static Behavior<Command> create(
      MemberConfig config,
      PeerDirectory directory,
      ActorRef<RaftNode.Command> raft,
      ActorRef<KvActor.Command> kv,
      Duration period) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, period);
                  return new CorruptionChecker(ctx, config, directory, raft, kv);
                }));
  }

  private CorruptionChecker(
      ActorContext<Command> ctx,
      MemberConfig config,
      PeerDirectory directory,
      ActorRef<RaftNode.Command> raft,
      ActorRef<KvActor.Command> kv) {
    super(ctx);
    this.config = config;
    this.directory = directory;
    this.raft = raft;
    this.kv = kv;
    this.timeout = config.requestTimeout();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Checked.class, this::onChecked)
        .build();
  }

  private Behavior<Command> onTick() {
    if (checking) {
      return this;
    }
    checking = true;
    ActorSystem<?> system = getContext().getSystem();
    long self = config.memberId();
    CompletionStage<OptionalLong> check =
        AskPattern.<RaftNode.Command, RaftNode.RaftStatus>ask(
                raft, RaftNode.GetStatus::new, timeout, system.scheduler())
            .thenCompose(
                status ->
                    status.leader() != self
                        ? java.util.concurrent.CompletableFuture.completedFuture(
                            OptionalLong.empty())
                        : ownHash(system)
                            .thenCompose(
                                before ->
                                    PeerHashes.collect(
                                            system, directory, self, before.revision(), timeout)
                                        .thenCompose(
                                            peers ->
                                                ownHash(system)
                                                    .thenApply(
                                                        after ->
                                                            CorruptionCheck.periodic(
                                                                self, before, after, peers)))));
    getContext().pipeToSelf(check, Checked::new);
    return this;
  }

  private CompletionStage<Hashed> ownHash(ActorSystem<?> system) {
    return AskPattern.<KvActor.Command, HashKVResponse>askWithStatus(
            kv, r -> new KvActor.HashKV(0, r), timeout, system.scheduler())
        .thenApply(Hashed::of);
  }

  private Behavior<Command> onChecked(Checked c) {
    checking = false;
    if (c.failure() != null) {
      getContext().getLog().warn("corruption check failed: {}", c.failure().toString());
    } else if (c.corrupt().isPresent()) {
      long id = c.corrupt().getAsLong();
      getContext().getLog().error("corruption check: member {} is corrupt", Long.toHexString(id));
      raft.tell(
          new RaftNode.Propose(
              InternalRaftRequest.newBuilder()
                  .setAlarm(
                      AlarmRequest.newBuilder()
                          .setAction(AlarmRequest.AlarmAction.ACTIVATE)
                          .setMemberID(id)
                          .setAlarm(AlarmType.CORRUPT))
                  .build()));
    }
    return this;
  }
}
