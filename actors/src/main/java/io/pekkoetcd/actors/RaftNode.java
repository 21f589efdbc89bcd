package io.pekkoetcd.actors;

import io.pekkoetcd.persistence.RaftLogSnapshot;
import io.pekkoetcd.persistence.RaftLogStore;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.ConfChange;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.DropReason;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.ProposalDropped;
import io.pekkoetcd.raft.RaftConfig;
import io.pekkoetcd.raft.RawNode;
import io.pekkoetcd.raft.ReadState;
import io.pekkoetcd.raft.Ready;
import io.pekkoetcd.raft.Role;
import io.pekkoetcd.raft.Snapshot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * The member's Raft node: owns a {@code raft-core} {@link RawNode} and carries out its {@link
 * Ready}s.
 *
 * <p>The Ready loop, one Ready at a time: its snapshot, entries and hard state go to {@link
 * RaftLogStore} (one atomic, fsynced journal write); only when the WAL confirms them are its
 * messages handed to the {@link PeerTransport} (a child of this actor), its committed entries to
 * the {@link KvActor} in order, its read states to the waiting linearizable reads, and the Ready
 * advanced. Proposals that arrive while a write is in flight go into Raft's unstable log and leave
 * together in the next Ready: one fsync for many proposals. Two exceptions ({@link ReadyPlan}): a
 * leader's appends and heartbeats leave before its own write, and a Ready that changes only the
 * commit index is not written. Time reaches Raft only as ticks from one periodic timer.
 *
 * <p>Behaviours: {@code recovering} (waiting for the WAL's recovered log; proposals are stashed,
 * bounded) and {@code running}. Proposals Raft refuses fail their waiting request with etcd's
 * error.
 *
 * <p>No leader: a proposal or read index that Raft drops because no leader is known is held
 * (bounded) and retried as soon as a leader is known, as etcd's requests wait for one; what is
 * still held after the request timeout fails with "request timed out". A follower's proposals are
 * forwarded to the leader by Raft itself (MsgProp); the proposer's waiting request completes when
 * its entry is applied here.
 *
 * <p>Linearizable reads ({@link ReadIndex}): Raft's ReadIndex with a unique context; the answer is
 * the read index, and the caller reads from the {@link KvActor} once its applied index reaches it.
 * A read whose leader changes before it is answered fails with "leader changed".
 *
 * <p>Snapshots: a {@code MsgSnap} in a Ready is not sent as a message; a {@link SnapshotSender}
 * child streams the MVCC store with it (at most one per follower) and its outcome becomes {@code
 * reportSnapshot}. A snapshot in a Ready (stepped by the {@link SnapshotReceiver} once it staged
 * the store) is made durable in the WAL first; then the KV actor is told to swap in the staged
 * store, before it applies anything after it.
 */
public final class RaftNode {

  /** Messages understood by the Raft node. */
  public sealed interface Command {}

  /**
   * Propose a request that the caller registered in {@link PendingRequests} under {@code
   * request.id}.
   */
  public record Propose(InternalRaftRequest request) implements Command {}

  /** A Raft message from a peer (through the {@link PeerTransport}). */
  public record Step(Message message) implements Command {}

  /** The transport lost contact with {@code memberId}. */
  public record PeerUnreachable(long memberId) implements Command {}

  /**
   * Obtain a read index for a linearizable read: the answer is the index the {@link KvActor} must
   * have applied before the read is served; or {@link ServerException} with "leader changed" /
   * "request timed out".
   */
  public record ReadIndex(ActorRef<StatusReply<Long>> replyTo) implements Command {}

  /** Report the Raft figures. */
  public record GetStatus(ActorRef<RaftStatus> replyTo) implements Command {}

  /**
   * The node's Raft figures for Maintenance.Status: {@code leader} 0 = none known; {@code
   * snapshotsSent}: MVCC snapshots streamed to followers since start.
   */
  public record RaftStatus(long leader, long term, long commitIndex, long snapshotsSent) {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Recovered(RaftLogSnapshot log) implements Command {}

  private record Persisted(RaftLogStore.Appended appended) implements Command {}

  private record WrappedApplied(KvActor.AppliedTo applied) implements Command {}

  private record SnapshotFinished(SnapshotSender.Finished finished) implements Command {}

  private record SenderStopped(long peer, ActorRef<SnapshotSender.Command> sender)
      implements Command {}

  private final ActorContext<Command> ctx;
  private final MemberConfig config;
  private final PendingRequests pending;
  private final ActorRef<KvActor.Command> kv;
  private final ActorRef<RaftLogStore.Command> wal;
  private final ActorRef<KvActor.AppliedTo> appliedAdapter;
  private final ActorRef<RaftLogStore.Appended> persistedAdapter;
  private final ActorRef<PeerTransport.Command> transport;
  private final ActorRef<SnapshotSender.Finished> snapshotFinishedAdapter;

  /** The MVCC snapshot transfer running to each follower: at most one per follower. */
  private final Map<Long, ActorRef<SnapshotSender.Command>> snapshotSenders =
      new java.util.HashMap<>();

  private long snapshotsSent;

  /** Request timeout in ticks: held requests and unanswered reads are given up after it. */
  private final long timeoutTicks;

  private MemoryRaftStorage storage;
  private RawNode node;

  /** The Ready being persisted, or null. */
  private Ready inFlight;

  /** What to do with {@link #inFlight} around its WAL write. */
  private ReadyPlan inFlightPlan;

  /** Proposals taken since the last Ready left: bounded by {@code maxPendingProposals}. */
  private int unsentProposals;

  private long compactedIndex;
  private long ticks;
  private long lastLeader;
  private long readSeq;
  private long snapshotSeq;

  /** Read-index requests handed to Raft, by context, in order. */
  private final Map<Long, PendingRead> issuedReads = new LinkedHashMap<>();

  /** Proposals and reads that Raft dropped for want of a leader, retried when one is known. */
  private final ArrayDeque<Held> held = new ArrayDeque<>();

  private record PendingRead(ActorRef<StatusReply<Long>> replyTo, long deadline) {}

  private record Held(Command request, long deadline) {}

  public static Behavior<Command> create(
      MemberConfig config,
      PendingRequests pending,
      PeerDirectory directory,
      ActorRef<KvActor.Command> kv) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        config.maxPendingProposals(),
                        stash ->
                            new RaftNode(ctx, config, pending, directory, kv)
                                .recovering(stash, timers))));
  }

  private RaftNode(
      ActorContext<Command> ctx,
      MemberConfig config,
      PendingRequests pending,
      PeerDirectory directory,
      ActorRef<KvActor.Command> kv) {
    this.ctx = ctx;
    this.config = config;
    this.pending = pending;
    this.kv = kv;
    this.wal = ctx.spawn(RaftLogStore.create(config.memberId(), 10_000), "wal");
    // Without its WAL the node must not go on: an unhandled Terminated fails this actor too (death
    // pact).
    ctx.watch(wal);
    this.appliedAdapter = ctx.messageAdapter(KvActor.AppliedTo.class, WrappedApplied::new);
    this.persistedAdapter = ctx.messageAdapter(RaftLogStore.Appended.class, Persisted::new);
    this.transport =
        ctx.spawn(PeerTransport.create(config, directory, ctx.getSelf()), PeerTransport.NAME);
    ctx.watch(transport);
    this.snapshotFinishedAdapter =
        ctx.messageAdapter(SnapshotSender.Finished.class, SnapshotFinished::new);
    ctx.spawn(
        SnapshotReceiver.create(
            config.clusterId(), config.snapDir(), ctx.getSelf(), Duration.ofSeconds(30)),
        SnapshotReceiver.NAME,
        DispatcherSelector.fromConfig(SNAPSHOT_DISPATCHER));
    this.timeoutTicks =
        Math.max(
            1,
            config.requestTimeout().toMillis()
                / Math.max(1, config.heartbeatInterval().toMillis()));
    wal.tell(new RaftLogStore.Load(ctx.messageAdapter(RaftLogSnapshot.class, Recovered::new)));
  }

  private Behavior<Command> recovering(StashBuffer<Command> stash, TimerScheduler<Command> timers) {
    return Behaviors.receive(Command.class)
        .onMessage(Recovered.class, r -> onRecovered(r.log(), stash, timers))
        .onMessage(
            Propose.class,
            p -> {
              if (stash.isFull()) {
                pending.fail(
                    p.request().getId(), new ServerException(ServerError.TOO_MANY_REQUESTS));
              } else {
                stash.stash(p);
              }
              return Behaviors.same();
            })
        .onMessage(
            ReadIndex.class,
            r -> {
              if (stash.isFull()) {
                r.replyTo()
                    .tell(StatusReply.error(new ServerException(ServerError.TOO_MANY_REQUESTS)));
              } else {
                stash.stash(r);
              }
              return Behaviors.same();
            })
        .onMessage(
            GetStatus.class,
            g -> {
              g.replyTo().tell(new RaftStatus(0, 0, 0, 0));
              return Behaviors.same();
            })
        // Raft messages before the log is loaded are lost; their senders retry.
        .onMessage(Step.class, m -> Behaviors.same())
        .onMessage(PeerUnreachable.class, m -> Behaviors.same())
        .onMessage(Persisted.class, p -> Behaviors.same())
        .onMessage(WrappedApplied.class, a -> Behaviors.same())
        .onMessage(SnapshotFinished.class, f -> Behaviors.same())
        .onMessage(SenderStopped.class, f -> Behaviors.same())
        .onMessageEquals(Tick.INSTANCE, () -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onRecovered(
      RaftLogSnapshot log, StashBuffer<Command> stash, TimerScheduler<Command> timers) {
    Optional<Snapshot> bootstrap = Optional.empty();
    if (log.isEmpty()) {
      // A new member of a new cluster: the initial membership as a snapshot at index 1, term 1, as
      // every member of the initial cluster does, so that all start from the same log.
      ConfState initial =
          new ConfState(java.util.Set.copyOf(config.initialVoters()), java.util.Set.of());
      storage = MemoryRaftStorage.bootstrap(initial);
      Snapshot s = storage.snapshot();
      // Term 1 is the bootstrap's (etcd appends the initial configuration in term 1), so the first
      // election is for term 2, as with etcd.
      storage.setHardState(new HardState(s.term(), 0, s.index()));
      bootstrap = Optional.of(s);
    } else {
      storage = log.toStorage();
      Snapshot start = log.start();
      if (start.index() > 1) {
        // Before any entry is applied: if a crash interrupted the install of a received snapshot
        // (the WAL already starts after it, the store does not hold it yet), finish it now; a no-op
        // otherwise.
        kv.tell(new KvActor.InstallSnapshot(start.index(), start.term()));
      }
    }
    compactedIndex = storage.snapshot().index();
    RaftConfig raftConfig =
        new RaftConfig(
            config.memberId(),
            config.electionTicks(),
            1,
            1024 * 1024,
            256,
            true,
            true,
            new SplittableRandom(config.raftSeed()));
    // The store skips what it already applied, so committed entries after the snapshot are simply
    // handed out again.
    node = new RawNode(raftConfig, storage);
    if (bootstrap.isPresent()) {
      wal.tell(
          new RaftLogStore.Append(
              bootstrap,
              List.of(),
              Optional.of(new HardState(1, 0, 1)),
              ctx.getSystem().ignoreRef()));
    }
    if (config.initialVoters().size() == 1 && config.initialVoters().contains(config.memberId())) {
      // A one-member cluster needs no election timeout to know it wins (etcd:
      // initial-election-tick-advance).
      node.campaign();
    }
    timers.startTimerAtFixedRate(Tick.INSTANCE, config.heartbeatInterval());
    ctx.getLog()
        .info(
            "member {} recovered its WAL up to index {} (term {})",
            Long.toHexString(config.memberId()),
            log.lastIndex(),
            log.hardState().term());
    drive();
    return stash.unstashAll(running());
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(Propose.class, this::onPropose)
        .onMessage(Step.class, this::onStep)
        .onMessage(ReadIndex.class, this::onReadIndex)
        .onMessage(PeerUnreachable.class, this::onPeerUnreachable)
        .onMessage(Persisted.class, this::onPersisted)
        .onMessage(WrappedApplied.class, this::onApplied)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(SnapshotFinished.class, this::onSnapshotFinished)
        .onMessage(SenderStopped.class, this::onSenderStopped)
        .onMessage(Recovered.class, r -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onPropose(Propose p) {
    long id = p.request().getId();
    if (unsentProposals >= config.maxPendingProposals()) {
      pending.fail(id, new ServerException(ServerError.TOO_MANY_REQUESTS));
      return Behaviors.same();
    }
    propose(p, ticks + timeoutTicks);
    drive();
    return Behaviors.same();
  }

  private void propose(Propose p, long deadline) {
    try {
      node.propose(p.request().toByteArray());
      unsentProposals++;
    } catch (ProposalDropped dropped) {
      if (dropped.reason() == DropReason.NO_LEADER && held.size() < config.maxPendingProposals()) {
        held.add(new Held(p, deadline));
      } else {
        pending.fail(p.request().getId(), new ServerException(errorFor(dropped.reason())));
      }
    }
  }

  private Behavior<Command> onStep(Step s) {
    node.step(s.message());
    drive();
    return Behaviors.same();
  }

  private Behavior<Command> onPeerUnreachable(PeerUnreachable u) {
    node.reportUnreachable(u.memberId());
    return Behaviors.same();
  }

  private Behavior<Command> onReadIndex(ReadIndex r) {
    readIndex(r, ticks + timeoutTicks);
    drive();
    return Behaviors.same();
  }

  private void readIndex(ReadIndex r, long deadline) {
    long seq = ++readSeq;
    try {
      node.readIndex(ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
      issuedReads.put(seq, new PendingRead(r.replyTo(), deadline));
    } catch (ProposalDropped dropped) {
      if (dropped.reason() == DropReason.NO_LEADER && held.size() < config.maxPendingProposals()) {
        held.add(new Held(r, deadline));
      } else {
        r.replyTo().tell(StatusReply.error(new ServerException(errorFor(dropped.reason()))));
      }
    }
  }

  /**
   * Hand the read indexes Raft answered to their readers (the KvActor serves them once applied that
   * far).
   */
  private void answerReads(List<ReadState> states) {
    for (ReadState rs : states) {
      if (rs.context() == null || rs.context().length != Long.BYTES) {
        continue;
      }
      PendingRead read = issuedReads.remove(ByteBuffer.wrap(rs.context()).getLong());
      if (read != null) {
        read.replyTo().tell(StatusReply.success(rs.index()));
      }
    }
  }

  /**
   * The known leader changed: reads sent to the old one are answered by nobody ("leader changed",
   * as etcd); with a leader known again, held proposals and reads are retried.
   */
  private void onLeaderChange(long leader) {
    ctx.getLog()
        .info(
            "member {}: leader is now {} (term {})",
            Long.toHexString(config.memberId()),
            Long.toHexString(leader),
            node.hardState().term());
    for (PendingRead read : issuedReads.values()) {
      read.replyTo().tell(StatusReply.error(new ServerException(ServerError.LEADER_CHANGED)));
    }
    issuedReads.clear();
    if (leader != 0) {
      List<Held> retry = new ArrayList<>(held);
      held.clear();
      for (Held h : retry) {
        if (h.request() instanceof Propose p) {
          propose(p, h.deadline());
        } else if (h.request() instanceof ReadIndex r) {
          readIndex(r, h.deadline());
        }
      }
    }
  }

  /** Give up held requests and unanswered reads after the request timeout. */
  private void expire() {
    for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (h.deadline() <= ticks) {
        it.remove();
        ServerException timedOut = new ServerException(ServerError.REQUEST_TIMED_OUT);
        if (h.request() instanceof Propose p) {
          pending.fail(p.request().getId(), timedOut);
        } else if (h.request() instanceof ReadIndex r) {
          r.replyTo().tell(StatusReply.error(timedOut));
        }
      }
    }
    for (Iterator<PendingRead> it = issuedReads.values().iterator(); it.hasNext(); ) {
      PendingRead read = it.next();
      if (read.deadline() > ticks) {
        break; // issued in deadline order (but for retried held reads: those go a little late)
      }
      it.remove();
      read.replyTo().tell(StatusReply.error(new ServerException(ServerError.REQUEST_TIMED_OUT)));
    }
  }

  private static ServerError errorFor(DropReason reason) {
    return switch (reason) {
      case NO_LEADER, NOT_A_MEMBER -> ServerError.NO_LEADER;
      case TRANSFERRING -> ServerError.PROPOSAL_DROPPED;
      case CONF_CHANGE_PENDING -> ServerError.REQUEST_TIMED_OUT;
    };
  }

  private Behavior<Command> onTick() {
    ticks++;
    node.tick();
    expire();
    drive();
    return Behaviors.same();
  }

  private Behavior<Command> onGetStatus(GetStatus g) {
    HardState hs = node.hardState();
    g.replyTo()
        .tell(new RaftStatus(node.softState().leader(), hs.term(), hs.commit(), snapshotsSent));
    return Behaviors.same();
  }

  /** Start the next Ready unless one is being persisted. */
  private void drive() {
    if (inFlight != null || !node.hasReady()) {
      return;
    }
    Ready rd = node.ready();
    ReadyPlan plan = ReadyPlan.of(rd, node.softState().role() == Role.LEADER);
    inFlight = rd;
    inFlightPlan = plan;
    unsentProposals = 0;
    if (!plan.beforeWrite().isEmpty()) {
      transport.tell(new PeerTransport.Send(plan.beforeWrite()));
    }
    if (!plan.write()) {
      afterPersisted(rd);
      return;
    }
    wal.tell(
        new RaftLogStore.Append(rd.snapshot(), rd.entries(), rd.hardState(), persistedAdapter));
  }

  private Behavior<Command> onPersisted(Persisted p) {
    Ready rd = inFlight;
    if (rd == null) {
      return Behaviors.same(); // the bootstrap write's answer, or one from before a restart
    }
    afterPersisted(rd);
    return Behaviors.same();
  }

  /**
   * The Ready's writes are durable: make them stable, send, apply, advance, and start the next one.
   */
  private void afterPersisted(Ready rd) {
    rd.snapshot().ifPresent(this::installSnapshot);
    storage.append(rd.entries());
    rd.hardState().ifPresent(storage::setHardState);
    List<Message> messages = new ArrayList<>(inFlightPlan.afterWrite().size());
    for (Message m : inFlightPlan.afterWrite()) {
      if (m instanceof Message.MsgSnap snap) {
        sendSnapshot(snap); // with the MVCC store, not as a plain message
      } else {
        messages.add(m);
      }
    }
    if (!messages.isEmpty()) {
      transport.tell(new PeerTransport.Send(messages));
    }
    if (!rd.committedEntries().isEmpty()) {
      for (Entry e : rd.committedEntries()) {
        if (e.type() == EntryType.CONF_CHANGE) {
          node.applyConfChange(ConfChange.decode(e.data()));
        }
      }
      kv.tell(new KvActor.Apply(rd.committedEntries(), node.hardState().term(), appliedAdapter));
    }
    answerReads(rd.readStates());
    node.advance(rd);
    long leader = node.softState().leader();
    if (leader != lastLeader) {
      lastLeader = leader;
      onLeaderChange(leader);
    }
    inFlight = null;
    inFlightPlan = null;
    drive();
  }

  /**
   * A snapshot received from the leader is durable in the WAL (the receiver staged its MVCC store
   * before stepping it): the log now starts after it, and the KV actor swaps in the staged store
   * before it applies anything else.
   */
  private void installSnapshot(Snapshot s) {
    storage.applySnapshot(s);
    compactedIndex = Math.max(compactedIndex, s.index());
    ctx.getLog()
        .info(
            "member {}: the WAL starts at snapshot index {} (term {}) from the leader; installing its MVCC store",
            Long.toHexString(config.memberId()),
            s.index(),
            s.term());
    kv.tell(new KvActor.InstallSnapshot(s.index(), s.term()));
  }

  /**
   * Stream the MVCC store to a follower that needs compacted entries, unless a transfer to it is
   * running (Raft asks again after its snapshot timeout; the running transfer answers for both).
   */
  private void sendSnapshot(Message.MsgSnap m) {
    long peer = m.to();
    Optional<SnapshotSender.Target> target =
        PeerTransport.snapshotTarget(ctx.getSystem(), config, peer);
    if (snapshotSenders.containsKey(peer) || target.isEmpty()) {
      return;
    }
    ActorRef<SnapshotSender.Command> sender =
        ctx.spawn(
            SnapshotSender.create(
                config.clusterId(),
                m,
                kv,
                target.get(),
                snapshotFinishedAdapter,
                SnapshotSender.Settings.defaults()),
            "snapshot-to-" + Long.toHexString(peer) + "-" + (++snapshotSeq),
            DispatcherSelector.fromConfig(SNAPSHOT_DISPATCHER));
    ctx.watchWith(sender, new SenderStopped(peer, sender));
    snapshotSenders.put(peer, sender);
  }

  private Behavior<Command> onSnapshotFinished(SnapshotFinished f) {
    long peer = f.finished().peer();
    if (snapshotSenders.remove(peer) != null) {
      if (f.finished().success()) {
        snapshotsSent++;
      }
      node.reportSnapshot(peer, f.finished().success());
      drive();
    }
    return Behaviors.same();
  }

  /** A sender that stopped without reporting (it failed): the snapshot was not delivered. */
  private Behavior<Command> onSenderStopped(SenderStopped s) {
    if (snapshotSenders.get(s.peer()) == s.sender()) {
      snapshotSenders.remove(s.peer());
      node.reportSnapshot(s.peer(), false);
      drive();
    }
    return Behaviors.same();
  }

  /**
   * Compact the WAL once enough applied entries are durable in the MVCC store, keeping a catch-up
   * tail. The compaction point becomes Raft's snapshot: a follower that needs entries before it
   * gets the MVCC store streamed (its consistent index is at or beyond that point).
   */
  private Behavior<Command> onApplied(WrappedApplied a) {
    long safe = a.applied().durableIndex() - config.snapshotCatchUpEntries();
    if (safe - compactedIndex >= config.snapshotCount() && safe <= storage.lastIndex()) {
      ConfState conf = node.status().confState();
      storage.createSnapshot(safe, conf, null);
      storage.compact(safe);
      compactedIndex = safe;
      wal.tell(new RaftLogStore.Compact(safe, conf));
    }
    return Behaviors.same();
  }

  static final String SNAPSHOT_DISPATCHER = "pekko-etcd.snapshot-dispatcher";
}
