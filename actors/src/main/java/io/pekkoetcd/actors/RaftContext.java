package io.pekkoetcd.actors;

import io.pekkoetcd.actors.metrics.ActorMetrics;
import io.pekkoetcd.actors.metrics.MemberMetrics;
import io.pekkoetcd.persistence.RaftLogStore;
import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.RawNode;
import io.pekkoetcd.raft.Role;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/**
 * What every role of the {@link RaftNode} shares, owned by its one actor (never touched from
 * another thread): the {@code RawNode} and its storage, the WAL, the KV actor, the peer transport,
 * logical time, the {@link ReadyLoop}, {@link HeldRequests} and {@link ReadIndexes}, and the role
 * currently in force.
 *
 * <p>Role switches: when the {@link ReadyLoop} takes a Ready whose soft state names another role,
 * {@link #roleObserved} logs it as etcd's raft does ({@code 1 became leader at term 5}), has the
 * old role {@link RoleBehavior#leave() leave} and makes the new one at once (so the rest of that
 * Ready is carried out by it); the actor's behaviour changes when the current message is done
 * ({@link #next()}).
 */
final class RaftContext {

  final ActorContext<RaftNode.Command> ctx;
  final MemberConfig config;
  final PendingRequests pending;
  final ActorRef<KvActor.Command> kv;
  final RaftNode.Deps deps;

  /** The membership in force, updated as committed membership changes are applied. */
  final PeerDirectory directory;

  final ActorRef<RaftLogStore.Command> wal;
  final ActorRef<PeerTransport.Command> transport;

  /** Where this node's Raft messages go ({@link #send}). */
  private final PeerOutbox outbox;

  /** Peers the transport last reported unreachable. */
  private final Set<Long> unreachable = new HashSet<>();

  /** Request timeout in ticks: held requests and unanswered reads are given up after it. */
  final long timeoutTicks;

  final HeldRequests held;
  final ReadIndexes reads;
  final ReadyLoop loop;
  final PeerRoundTrips roundTrips;

  /** Which peers' messages are stepped (the transport judges its own messages the same way). */
  private final PeerFilter peerFilter;

  MemoryRaftStorage storage;
  RawNode node;
  long ticks;
  long snapshotsSent;

  /** Names the snapshot senders uniquely. */
  long snapshotSeq;

  private Role role = Role.FOLLOWER;
  private RoleBehavior current;
  private Behavior<RaftNode.Command> switchTo;

  RaftContext(
      ActorContext<RaftNode.Command> ctx,
      MemberConfig config,
      PendingRequests pending,
      ActorRef<KvActor.Command> kv,
      RaftNode.Deps deps,
      PeerDirectory directory) {
    this.ctx = ctx;
    this.directory = directory;
    this.config = config;
    this.pending = pending;
    this.kv = kv;
    this.deps = deps;
    this.wal = ctx.spawn(ActorMetrics.instrument("raft/wal", deps.wal()), "wal");
    // Without its WAL or transport the node must not go on: an unhandled Terminated fails this
    // actor too (death pact).
    ctx.watch(wal);
    this.transport =
        ctx.spawn(
            ActorMetrics.instrument("raft/peers", deps.transport().apply(ctx.getSelf())),
            PeerTransport.NAME);
    ctx.watch(transport);
    this.outbox = deps.outbox().apply(ctx);
    deps.snapshotReceiver()
        .ifPresent(
            receiver ->
                ctx.spawn(
                    receiver.apply(ctx.getSelf()),
                    SnapshotReceiver.NAME,
                    DispatcherSelector.fromConfig(RaftNode.SNAPSHOT_DISPATCHER)));
    this.timeoutTicks =
        Math.max(
            1,
            config.requestTimeout().toMillis()
                / Math.max(1, config.heartbeatInterval().toMillis()));
    this.held = new HeldRequests(this);
    this.reads = new ReadIndexes(this);
    this.loop = new ReadyLoop(this);
    this.roundTrips = new PeerRoundTrips(MemberMetrics.get(ctx.getSystem()));
    this.peerFilter = PeerFilter.of(config.clusterId(), directory);
  }

  private boolean removed;

  /**
   * This member applied its own removal: etcd's message, then the member stops (a second later, so
   * the reply to a MemberRemove sent to this member can still leave); the server exits 1.
   */
  void removed() {
    if (removed) {
      return;
    }
    removed = true;
    ctx.getLog()
        .error(
            "the member has been permanently removed from the cluster (member {}); stopping",
            memberHex());
    var system = ctx.getSystem();
    system
        .scheduler()
        .scheduleOnce(Duration.ofSeconds(1), system::terminate, system.executionContext());
  }

  /**
   * Send the messages of a Ready (once they may leave). An append to a peer the transport reports
   * unreachable is reported to Raft as a failed send, after this Ready is carried out.
   */
  void send(List<io.pekkoetcd.raft.Message> messages) {
    roundTrips.sent(messages);
    outbox.send(messages);
    if (unreachable.isEmpty()) {
      return;
    }
    for (io.pekkoetcd.raft.Message m : messages) {
      if (m instanceof io.pekkoetcd.raft.Message.MsgApp && unreachable.contains(m.to())) {
        ctx.getSelf().tell(new RaftNode.PeerReachability(m.to(), false));
      }
    }
  }

  /** The transport's word on a peer: remembered, and a loss reported to Raft (once it runs). */
  void reachability(RaftNode.PeerReachability r) {
    if (!r.reachable()) {
      unreachable.add(r.memberId());
    } else {
      unreachable.remove(r.memberId());
    }
  }

  String memberHex() {
    return Long.toHexString(config.memberId());
  }

  /** The role in force (the last one a Ready's soft state named). */
  Role role() {
    return role;
  }

  RoleBehavior current() {
    return current;
  }

  /** Start in {@code initial} (after recovery, before the first Ready). */
  void start(Role initial) {
    role = initial;
    current = RaftNode.roleFor(this, initial);
    switchTo = null;
  }

  /** The behaviour of the role in force (after recovery's first Ready). */
  Behavior<RaftNode.Command> behaviorNow() {
    switchTo = null;
    return current.behavior();
  }

  /** A Ready's soft state named {@code next}: log and switch if it is another role. */
  void roleObserved(Role next) {
    if (next == role) {
      return;
    }
    ctx.getLog()
        .info(
            "{} became {} at term {}",
            memberHex(),
            next.name().toLowerCase(Locale.ROOT).replace('_', '-'),
            node.hardState().term());
    boolean sameBehavior =
        (next == Role.PRE_CANDIDATE || next == Role.CANDIDATE)
            && (role == Role.PRE_CANDIDATE || role == Role.CANDIDATE);
    role = next;
    if (!sameBehavior) {
      current.leave();
      current = RaftNode.roleFor(this, next);
      switchTo = current.behavior();
    }
  }

  /** What a handler returns: the new role's behaviour if the role changed meanwhile. */
  Behavior<RaftNode.Command> next() {
    Behavior<RaftNode.Command> b = switchTo;
    switchTo = null;
    return b == null ? Behaviors.same() : b;
  }

  /**
   * The handlers every role shares (Raft input, the Ready loop's replies, status); a role adds its
   * own for proposals, reads and snapshot transfers.
   */
  BehaviorBuilder<RaftNode.Command> common() {
    return Behaviors.receive(RaftNode.Command.class)
        .onMessage(RaftNode.Step.class, this::onStep)
        .onMessage(RaftNode.FromPeer.class, this::onFromPeer)
        .onMessage(RaftNode.PeerReachability.class, this::onPeerReachability)
        .onMessageEquals(RaftNode.Tick.INSTANCE, this::onTick)
        .onMessage(RaftNode.Persisted.class, p -> loop.onPersisted())
        .onMessage(RaftNode.WrappedApplied.class, a -> loop.onApplied(a.applied()))
        .onMessage(RaftNode.GetStatus.class, this::onGetStatus)
        .onMessage(RaftNode.CheckReconfig.class, this::onCheckReconfig)
        .onMessage(RaftNode.TransferLeadership.class, this::onTransferLeadership)
        .onMessage(RaftNode.Recovered.class, r -> Behaviors.same())
        .onMessage(RaftNode.PeerKnows.class, k -> Behaviors.same())
        .onMessageEquals(RaftNode.BootstrapCheckDone.INSTANCE, Behaviors::same);
  }

  private Behavior<RaftNode.Command> onStep(RaftNode.Step s) {
    return step(s.message());
  }

  /**
   * A peer's message: stepped if the sender is a member of this cluster (and heard from, for the
   * reconfiguration checks); else the transport logs it and tells a removed sender so.
   */
  private Behavior<RaftNode.Command> onFromPeer(RaftNode.FromPeer f) {
    long sender = f.message().from();
    PeerFilter.Verdict verdict = peerFilter.check(f.clusterId(), sender);
    if (verdict != PeerFilter.Verdict.ACCEPT) {
      transport.tell(new PeerTransport.Refused(f.clusterId(), sender, verdict));
      return Behaviors.same();
    }
    directory.heard(sender);
    return step(f.message());
  }

  private Behavior<RaftNode.Command> step(io.pekkoetcd.raft.Message m) {
    roundTrips.received(m);
    node.step(m);
    loop.drive();
    return next();
  }

  private Behavior<RaftNode.Command> onPeerReachability(RaftNode.PeerReachability r) {
    reachability(r);
    if (!r.reachable()) {
      node.reportUnreachable(r.memberId());
    }
    return Behaviors.same();
  }

  private Behavior<RaftNode.Command> onCheckReconfig(RaftNode.CheckReconfig c) {
    long within = config.heartbeatInterval().toNanos() * config.electionTicks() * 5L;
    Optional<ServerError> refusal =
        ReconfigCheck.check(
            c.change(),
            directory.members(),
            config.memberId(),
            // etcd's IsStarted: a member with a name (published, or from --initial-cluster)
            id ->
                id == config.memberId()
                    || directory.members().get(id).map(m -> !m.getName().isEmpty()).orElse(false),
            // etcd's HealthInterval is 5 s; here five election timeouts, at least 5 s
            id -> directory.active(id, Math.max(within, 5_000_000_000L)),
            node.status().progress());
    c.replyTo().tell(new RaftNode.ReconfigAnswer(refusal.orElse(null)));
    return Behaviors.same();
  }

  /** MoveLeader requests waiting for their transferee to lead. */
  private record Transfer(
      long transferee, long deadline, ActorRef<StatusReply<org.apache.pekko.Done>> replyTo) {}

  private final java.util.List<Transfer> transfers = new java.util.ArrayList<>();

  private Behavior<RaftNode.Command> onTransferLeadership(RaftNode.TransferLeadership t) {
    if (role != Role.LEADER) {
      t.replyTo().tell(StatusReply.error(new ServerException(ServerError.NOT_LEADER)));
      return Behaviors.same();
    }
    if (!directory.members().voters().contains(t.transferee())) {
      t.replyTo().tell(StatusReply.error(new ServerException(ServerError.BAD_LEADER_TRANSFEREE)));
      return Behaviors.same();
    }
    if (t.transferee() == config.memberId()) {
      t.replyTo().tell(StatusReply.ack());
      return Behaviors.same();
    }
    ctx.getLog()
        .info(
            "{} starts leadership transfer to {} at term {}",
            memberHex(),
            Long.toHexString(t.transferee()),
            node.hardState().term());
    transfers.add(new Transfer(t.transferee(), ticks + timeoutTicks, t.replyTo()));
    node.transferLeadership(t.transferee());
    loop.drive();
    return next();
  }

  /** The known leader is now {@code leader}: answer the transfers to it. */
  void leaderIs(long leader) {
    transfers.removeIf(
        t -> {
          if (t.transferee() == leader) {
            t.replyTo().tell(StatusReply.ack());
            return true;
          }
          return false;
        });
  }

  private void expireTransfers() {
    transfers.removeIf(
        t -> {
          if (t.deadline() <= ticks) {
            t.replyTo()
                .tell(StatusReply.error(new ServerException(ServerError.LEADER_TRANSFER_TIMEOUT)));
            return true;
          }
          return false;
        });
  }

  private Behavior<RaftNode.Command> onTick() {
    ticks++;
    node.tick();
    held.expire();
    held.retryConfChanges();
    expireTransfers();
    reads.expire();
    loop.drive();
    return next();
  }

  private Behavior<RaftNode.Command> onGetStatus(RaftNode.GetStatus g) {
    g.replyTo()
        .tell(
            new RaftNode.RaftStatus(
                node.softState().leader(),
                node.hardState().term(),
                node.hardState().commit(),
                snapshotsSent));
    return Behaviors.same();
  }
}
