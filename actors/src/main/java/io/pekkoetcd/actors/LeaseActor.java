package io.pekkoetcd.actors;

import io.pekkoetcd.actors.lease.Lessor;
import io.pekkoetcd.mvcc.StoredLease;
import io.pekkoetcd.protocol.etcdserverpb.LeaseCheckpoint;
import io.pekkoetcd.protocol.etcdserverpb.LeaseCheckpointRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeRequest;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One member's lessor ({@link Lessor}) as an actor: learns applied grants and revokes from the
 * {@code KvActor}, serves keep-alives and TimeToLive on the leader (a follower forwards them to the
 * leader's {@code LeaseActor} at {@code /user/leases} on its peer address), and on the leader finds
 * expired leases and proposes their revoke through Raft.
 *
 * <p>Leadership is read, not pushed: every {@code checkInterval} (etcd's 500 ms lease check) the
 * actor asks the {@link RaftNode} for its status. Seeing itself leader in a new term promotes the
 * lessor (every lease gets its full TTL plus an election timeout from now, etcd's {@code Promote});
 * seeing another leader or none demotes it. Only then, on the status just read, are expired leases
 * proposed for revoke: at most {@code revokesPerCheck} per check (etcd: 1000/s). A keep-alive or
 * TimeToLive that arrives while the last status named no leader, or named this member before its
 * lessor was promoted, waits for a fresh status read instead (just after an election). So a member
 * that lost leadership proposes no revoke after it has seen that, and a revoke proposed just before
 * is harmless only if the lease really expired here; keep-alives reach the primary only.
 *
 * <p>Time is an injected monotonic clock in nanoseconds and the actor's timer (ManualTime in
 * tests).
 */
public final class LeaseActor extends AbstractBehavior<LeaseActor.Command> {

  /** Its name under the guardian: {@code /user/leases} on every member. */
  public static final String NAME = "leases";

  /** Messages understood by the lease actor. */
  public sealed interface Command {}

  /**
   * Leases applied by the KV actor in one batch, and the revision after it; {@code checkpointed}:
   * remaining TTLs checkpointed (only {@code id} and {@code remainingTtl} are set).
   */
  public record Applied(
      List<StoredLease> granted, List<Long> revoked, List<StoredLease> checkpointed, long revision)
      implements Command {

    public Applied(List<StoredLease> granted, List<Long> revoked, long revision) {
      this(granted, revoked, List.of(), revision);
    }
  }

  /** Every lease the store holds now (at start, and after installing a snapshot). */
  public record Reset(Collection<StoredLease> leases, long revision) implements Command {}

  /** Renew lease {@code id} on the leader (answer: granted TTL, 0 if no such lease). */
  public record KeepAlive(long id, ActorRef<Answer> replyTo) implements Command {}

  /** Remaining and granted TTL of lease {@code id}, from the leader (TTL −1: no such lease). */
  public record TimeToLive(long id, ActorRef<Answer> replyTo) implements Command {}

  /** Every lease ID this member knows, soonest expiry first (etcd serves LeaseLeases locally). */
  public record ListLeases(ActorRef<Listed> replyTo) implements Command {}

  public record Listed(List<Long> ids, long revision, long term) {}

  /**
   * A keep-alive ({@code keepAlive}) or TimeToLive forwarded by a follower's lease actor; answered
   * by the primary only (never forwarded again).
   */
  public record Forwarded(long clusterId, boolean keepAlive, long id, ActorRef<Answer> replyTo)
      implements Command {}

  /**
   * The answer to a keep-alive or TimeToLive: {@code ttl} (keep-alive: granted TTL or 0;
   * TimeToLive: remaining seconds or −1), {@code grantedTtl}, the leader's revision and term; or
   * {@code error} (not null: no leader, or the leader changed while asking).
   */
  public record Answer(
      long id, long ttl, long grantedTtl, long revision, long term, ServerError error) {
    static Answer failed(long id, ServerError error) {
      return new Answer(id, 0, 0, 0, 0, error);
    }
  }

  /** Where a follower sends what only the leader's lessor answers. */
  @FunctionalInterface
  public interface Forwarder {
    /** Sends {@code f} to the lease actor of member {@code leaderId}. */
    void forward(long leaderId, Forwarded f);
  }

  /**
   * How the lessor runs: the member, its timing and etcd's limits; {@code checkpointInterval} ZERO
   * = no remaining-TTL checkpoints (etcd's default; 5 min with {@code
   * --experimental-enable-lease-checkpoint}).
   */
  public record Settings(
      long clusterId,
      long memberId,
      Duration checkInterval,
      Duration electionTimeout,
      int revokesPerCheck,
      Duration checkpointInterval) {

    /** etcd's: a check every 500 ms, 1000 revokes per second, no checkpoints. */
    public static Settings of(long clusterId, long memberId, Duration electionTimeout) {
      return new Settings(
          clusterId, memberId, Duration.ofMillis(500), electionTimeout, 500, Duration.ZERO);
    }

    /** With remaining-TTL checkpoints every {@code interval} (ZERO = none). */
    public Settings withCheckpointInterval(Duration interval) {
      return new Settings(
          clusterId, memberId, checkInterval, electionTimeout, revokesPerCheck, interval);
    }
  }

  /** etcd's {@code maxLeaseCheckpointBatchSize}: checkpoints per proposal. */
  static final int CHECKPOINTS_PER_PROPOSAL = 1000;

  private enum Check implements Command {
    INSTANCE
  }

  private record StatusRead(RaftNode.RaftStatus status) implements Command {}

  /** A keep-alive or time-to-live waiting for a leader, until {@code deadline} (clock nanos). */
  private record Waiting(Command command, long deadline) {}

  private final Settings settings;
  private final ActorRef<RaftNode.Command> raft;
  private final LongSupplier clock;
  private final Forwarder forwarder;
  private final ActorRef<RaftNode.RaftStatus> statusAdapter;
  private final Lessor lessor;
  private long leader;
  private long term;
  private long promotedTerm;
  private long revision;

  /**
   * Keep-alives and TimeToLive that arrived while this member knew no leader, or believed itself
   * leader without having promoted its lessor yet: answered once a fresh status is read.
   */
  private final List<Waiting> awaitingStatus = new java.util.ArrayList<>();

  public static Behavior<Command> create(
      Settings settings,
      ActorRef<RaftNode.Command> raft,
      LongSupplier nanoClock,
      Forwarder forwarder) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new LeaseActor(ctx, timers, settings, raft, nanoClock, forwarder)));
  }

  private LeaseActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      Settings settings,
      ActorRef<RaftNode.Command> raft,
      LongSupplier clock,
      Forwarder forwarder) {
    super(ctx);
    this.settings = settings;
    this.raft = raft;
    this.clock = clock;
    this.forwarder = forwarder;
    this.lessor = new Lessor(settings.checkpointInterval().toNanos());
    this.statusAdapter = ctx.messageAdapter(RaftNode.RaftStatus.class, StatusRead::new);
    timers.startTimerWithFixedDelay(Check.INSTANCE, settings.checkInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Applied.class, this::onApplied)
        .onMessage(Reset.class, this::onReset)
        .onMessage(KeepAlive.class, this::onKeepAlive)
        .onMessage(TimeToLive.class, this::onTimeToLive)
        .onMessage(ListLeases.class, this::onList)
        .onMessage(Forwarded.class, this::onForwarded)
        .onMessageEquals(Check.INSTANCE, this::onCheck)
        .onMessage(StatusRead.class, this::onStatus)
        .build();
  }

  private Behavior<Command> onApplied(Applied a) {
    long now = clock.getAsLong();
    for (StoredLease l : a.granted()) {
      lessor.granted(l.id(), l.ttl(), now);
    }
    for (long id : a.revoked()) {
      lessor.revoked(id);
    }
    for (StoredLease c : a.checkpointed()) {
      lessor.checkpointed(c.id(), c.remainingTtl(), now);
    }
    revision = Math.max(revision, a.revision());
    return this;
  }

  private Behavior<Command> onReset(Reset r) {
    lessor.reset(r.leases(), clock.getAsLong());
    revision = r.revision();
    return this;
  }

  private Behavior<Command> onKeepAlive(KeepAlive k) {
    if (!awaitStatus(k)) {
      answerOrForward(true, k.id(), k.replyTo());
    }
    return this;
  }

  private Behavior<Command> onTimeToLive(TimeToLive t) {
    if (!awaitStatus(t)) {
      answerOrForward(false, t.id(), t.replyTo());
    }
    return this;
  }

  private Behavior<Command> onForwarded(Forwarded f) {
    if (f.clusterId() != settings.clusterId()) {
      return this;
    }
    if (!lessor.isPrimary()) {
      f.replyTo().tell(Answer.failed(f.id(), ServerError.LEADER_CHANGED));
    } else {
      f.replyTo().tell(f.keepAlive() ? renew(f.id()) : timeToLive(f.id()));
    }
    return this;
  }

  /**
   * If the last status read named no leader, or this member without a promoted lessor, keep {@code
   * c} until a fresh status is read (asked for now): right after an election the periodic check may
   * not have seen the new leader yet.
   */
  private boolean awaitStatus(Command c) {
    if (lessor.isPrimary() || (leader != 0 && leader != settings.memberId())) {
      return false;
    }
    if (awaitingStatus.isEmpty()) {
      raft.tell(new RaftNode.GetStatus(statusAdapter));
    }
    awaitingStatus.add(new Waiting(c, clock.getAsLong() + leaderWait().toNanos()));
    return true;
  }

  private void forward(Forwarded f) {
    if (leader == 0 || leader == settings.memberId()) {
      // no leader known, or this member leads but has not read that yet
      f.replyTo()
          .tell(
              Answer.failed(
                  f.id(), leader == 0 ? ServerError.NO_LEADER : ServerError.LEADER_CHANGED));
      return;
    }
    forwarder.forward(leader, f);
  }

  private Answer renew(long id) {
    boolean checkpointed = lessor.hasCheckpoint(id);
    long ttl = lessor.renew(id, clock.getAsLong());
    if (ttl > 0 && checkpointed) {
      // etcd: a renewed lease's checkpoint is cleared through Raft, so a new leader does not
      // restart it from a remaining TTL the keep-alive made stale
      proposeCheckpoints(List.of(new Lessor.Checkpoint(id, 0)));
    }
    return new Answer(id, ttl, ttl, revision, term, null);
  }

  private Answer timeToLive(long id) {
    Lessor.TimeToLive t = lessor.timeToLive(id, clock.getAsLong());
    return t == null
        ? new Answer(id, -1, 0, revision, term, null)
        : new Answer(id, t.remainingSeconds(), t.grantedTtl(), revision, term, null);
  }

  private void proposeCheckpoints(List<Lessor.Checkpoint> checkpoints) {
    LeaseCheckpointRequest.Builder r = LeaseCheckpointRequest.newBuilder();
    for (Lessor.Checkpoint c : checkpoints) {
      r.addCheckpoints(
          LeaseCheckpoint.newBuilder().setID(c.id()).setRemainingTTL(c.remainingTtl()));
    }
    raft.tell(new RaftNode.Propose(InternalRaftRequest.newBuilder().setLeaseCheckpoint(r).build()));
  }

  private Behavior<Command> onList(ListLeases l) {
    l.replyTo().tell(new Listed(lessor.ids(), revision, term));
    return this;
  }

  private Behavior<Command> onCheck() {
    raft.tell(new RaftNode.GetStatus(statusAdapter));
    return this;
  }

  private Behavior<Command> onStatus(StatusRead s) {
    onStatus(s.status());
    List<Waiting> waiting = List.copyOf(awaitingStatus);
    awaitingStatus.clear();
    long now = clock.getAsLong();
    for (Waiting w : waiting) {
      Command c = w.command();
      if (leader == 0 && now < w.deadline()) {
        // as etcd's waitLeader: an election is under way; the next check reads the status again
        awaitingStatus.add(w);
      } else if (c instanceof KeepAlive k) {
        answerOrForward(true, k.id(), k.replyTo());
      } else if (c instanceof TimeToLive t) {
        answerOrForward(false, t.id(), t.replyTo());
      }
    }
    return this;
  }

  /**
   * How long a keep-alive or time-to-live waits for a leader before "etcdserver: no leader": etcd's
   * request timeout (5 s and two election timeouts), within which etcd's waitLeader keeps waiting.
   */
  private Duration leaderWait() {
    return Duration.ofSeconds(5).plus(settings.electionTimeout().multipliedBy(2));
  }

  /** After a fresh status: answer as the primary, forward to the leader, or fail. */
  private void answerOrForward(boolean keepAlive, long id, ActorRef<Answer> replyTo) {
    if (lessor.isPrimary()) {
      replyTo.tell(keepAlive ? renew(id) : timeToLive(id));
    } else {
      forward(new Forwarded(settings.clusterId(), keepAlive, id, replyTo));
    }
  }

  private void onStatus(RaftNode.RaftStatus status) {
    leader = status.leader();
    term = status.term();
    long now = clock.getAsLong();
    if (leader != settings.memberId()) {
      if (lessor.isPrimary()) {
        lessor.demote();
        getContext().getLog().info("lessor demoted (leader now {})", Long.toHexString(leader));
      }
      return;
    }
    if (!lessor.isPrimary() || promotedTerm != term) {
      lessor.promote(now, settings.electionTimeout().toNanos());
      promotedTerm = term;
      getContext()
          .getLog()
          .info("lessor promoted at term {}: {} leases restart their TTL", term, lessor.size());
    }
    List<Lessor.Checkpoint> due = lessor.dueCheckpoints(now, CHECKPOINTS_PER_PROPOSAL);
    if (!due.isEmpty()) {
      proposeCheckpoints(due);
    }
    for (long id : lessor.expired(now, settings.revokesPerCheck())) {
      raft.tell(
          new RaftNode.Propose(
              InternalRaftRequest.newBuilder()
                  .setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id))
                  .build()));
    }
  }
}
