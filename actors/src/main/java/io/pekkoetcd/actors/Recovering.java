package io.pekkoetcd.actors;

import io.pekkoetcd.persistence.RaftLogSnapshot;
import io.pekkoetcd.persistence.RaftLogStore;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.RaftConfig;
import io.pekkoetcd.raft.RawNode;
import io.pekkoetcd.raft.Role;
import io.pekkoetcd.raft.Snapshot;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * The first behaviour: waits for the WAL's recovered log (proposals and reads are stashed, bounded:
 * beyond it "etcdserver: too many requests"; Raft messages are lost, their senders retry), builds
 * the {@code RawNode} from it (bootstrapping a new member of a new cluster), starts the tick timer
 * and becomes a follower, as every Raft member starts.
 */
final class Recovering {

  /** Entry bytes per append, as etcd's {@code maxSizePerMsg}; at least one entry is always sent. */
  static final long MAX_BYTES_PER_APPEND = 1024 * 1024;

  /** Appends in flight per follower before the leader waits for acknowledgements. */
  static final int MAX_APPENDS_IN_FLIGHT = 256;

  /**
   * Entry bytes in flight per follower. Without it a follower catching up (after a restart, or a
   * slow one) could be sent 256 × 1 MiB at once and must decode all of it into its heap as it
   * arrives (Artery does not push back on an actor's mailbox): several times the bytes, since every
   * entry becomes objects. 16 MiB limits catch-up to 16 MiB per round trip (gigabytes per second at
   * the round trips of one LAN) and never the steady state, where a window holds kilobytes.
   */
  static final long MAX_APPEND_BYTES_IN_FLIGHT = 16L * 1024 * 1024;

  private final RaftContext rc;
  private final StashBuffer<RaftNode.Command> stash;
  private final TimerScheduler<RaftNode.Command> timers;

  Recovering(
      RaftContext rc,
      StashBuffer<RaftNode.Command> stash,
      TimerScheduler<RaftNode.Command> timers) {
    this.rc = rc;
    this.stash = stash;
    this.timers = timers;
    rc.wal.tell(
        new RaftLogStore.Load(
            rc.ctx.messageAdapter(RaftLogSnapshot.class, RaftNode.Recovered::new)));
  }

  Behavior<RaftNode.Command> behavior() {
    return Behaviors.receive(RaftNode.Command.class)
        .onMessage(RaftNode.Recovered.class, r -> onLoaded(r.log()))
        .onMessage(RaftNode.PeerKnows.class, this::onPeerKnows)
        .onMessageEquals(RaftNode.BootstrapCheckDone.INSTANCE, this::onBootstrapCheckDone)
        .onMessage(RaftNode.Propose.class, this::stashOrRefuse)
        .onMessage(RaftNode.ReadIndex.class, this::stashOrRefuse)
        .onMessage(
            RaftNode.GetStatus.class,
            g -> {
              g.replyTo().tell(new RaftNode.RaftStatus(0, 0, 0, 0));
              return Behaviors.same();
            })
        .onMessage(
            RaftNode.CheckReconfig.class,
            c -> {
              c.replyTo().tell(new RaftNode.ReconfigAnswer(ServerError.NO_LEADER));
              return Behaviors.same();
            })
        .onMessage(
            RaftNode.TransferLeadership.class,
            t -> {
              t.replyTo().tell(StatusReply.error(new ServerException(ServerError.NOT_LEADER)));
              return Behaviors.same();
            })
        .onMessage(RaftNode.Step.class, m -> Behaviors.same())
        .onMessage(RaftNode.FromPeer.class, m -> Behaviors.same())
        .onMessage(
            RaftNode.PeerReachability.class,
            r -> {
              rc.reachability(r);
              return Behaviors.same();
            })
        .onMessage(RaftNode.Persisted.class, p -> Behaviors.same())
        .onMessage(RaftNode.WrappedApplied.class, a -> Behaviors.same())
        .onMessage(RaftNode.SnapshotFinished.class, SnapshotSenders::ignore)
        .onMessage(RaftNode.SenderStopped.class, SnapshotSenders::ignore)
        .onMessageEquals(RaftNode.Tick.INSTANCE, Behaviors::same)
        .build();
  }

  private Behavior<RaftNode.Command> stashOrRefuse(RaftNode.Command c) {
    if (!stash.isFull()) {
      stash.stash(c);
      return Behaviors.same();
    }
    ServerException tooMany = new ServerException(ServerError.TOO_MANY_REQUESTS);
    if (c instanceof RaftNode.Propose p) {
      rc.pending.fail(p.request().getId(), tooMany);
    } else if (c instanceof RaftNode.ReadIndex r) {
      r.replyTo().tell(StatusReply.error(tooMany));
    }
    return Behaviors.same();
  }

  /** The WAL of a new member, while its peers are asked whether they know it already. */
  private RaftLogSnapshot checking;

  /**
   * etcd's isMemberBootstrapped: a new member (no WAL) of a cluster of several first asks its peers
   * whether they know it as started (it published its name to them): then its data was lost, and
   * starting a blank log would only make the leader fail it later; it stops with etcd's "member …
   * has already been bootstrapped". The first peer that does not know it, or a second without an
   * answer, lets it start.
   */
  private Behavior<RaftNode.Command> onLoaded(RaftLogSnapshot log) {
    MemberConfig config = rc.config;
    if (!log.isEmpty() || config.initialVoters().size() < 2 || rc.deps.bootstrapCheck().isZero()) {
      return onRecovered(log);
    }
    checking = log;
    var adapter = rc.ctx.messageAdapter(PeerTransport.JoinAnswer.class, RaftNode.PeerKnows::new);
    for (MemberConfig.Peer p : config.initialCluster()) {
      if (p.id() != config.memberId() && !p.peerUrls().isEmpty()) {
        rc.ctx
            .getSystem()
            .classicSystem()
            .actorSelection(
                PeerTransport.peerAddress(p.peerUrls().get(0)) + "/user/raft/" + PeerTransport.NAME)
            .tell(new PeerTransport.JoinQuery(adapter), org.apache.pekko.actor.ActorRef.noSender());
      }
    }
    timers.startSingleTimer(RaftNode.BootstrapCheckDone.INSTANCE, rc.deps.bootstrapCheck());
    return Behaviors.same();
  }

  private Behavior<RaftNode.Command> onPeerKnows(RaftNode.PeerKnows k) {
    if (checking == null) {
      return Behaviors.same();
    }
    long self = rc.config.memberId();
    boolean started =
        k.answer().clusterId() == rc.config.clusterId()
            && k.answer().membership().getMembersList().stream()
                .anyMatch(m -> m.getID() == self && m.getClientURLsCount() > 0);
    if (started) {
      rc.ctx
          .getLog()
          .error(
              "member {} has already been bootstrapped (its peers know it, but its data dir {} has"
                  + " no WAL); stopping",
              Long.toHexString(self),
              rc.config.dataDir());
      rc.ctx.getSystem().terminate();
      checking = null;
      return Behaviors.same();
    }
    return onBootstrapCheckDone();
  }

  private Behavior<RaftNode.Command> onBootstrapCheckDone() {
    if (checking == null) {
      return Behaviors.same();
    }
    RaftLogSnapshot log = checking;
    checking = null;
    timers.cancel(RaftNode.BootstrapCheckDone.INSTANCE);
    return onRecovered(log);
  }

  private Behavior<RaftNode.Command> onRecovered(RaftLogSnapshot log) {
    MemberConfig config = rc.config;
    Optional<Snapshot> bootstrap = Optional.empty();
    if (log.isEmpty() && config.initialVoters().isEmpty()) {
      // A member added to a running cluster (--initial-cluster-state existing): an empty log and no
      // configuration of its own; the leader's first appends find nothing to match and send it a
      // snapshot, whose configuration it takes.
      rc.storage = new MemoryRaftStorage();
    } else if (log.isEmpty()) {
      // A new member of a new cluster: the initial membership as a snapshot at index 1, term 1, as
      // every member of the initial cluster does, so that all start from the same log.
      ConfState initial = new ConfState(Set.copyOf(config.initialVoters()), Set.of());
      rc.storage = MemoryRaftStorage.bootstrap(initial);
      Snapshot s = rc.storage.snapshot();
      // Term 1 is the bootstrap's (etcd appends the initial configuration in term 1), so the first
      // election is for term 2, as with etcd.
      rc.storage.setHardState(new HardState(s.term(), 0, s.index()));
      bootstrap = Optional.of(s);
    } else {
      rc.storage = log.toStorage();
      Snapshot start = log.start();
      if (start.index() > 1) {
        // Before any entry is applied: if a crash interrupted the install of a received snapshot
        // (the WAL already starts after it, the store does not hold it yet), finish it now; a no-op
        // otherwise.
        rc.kv.tell(new KvActor.InstallSnapshot(start.index(), start.term()));
      }
    }
    rc.loop.retention.compacted(rc.storage.snapshot().index());
    RaftConfig raftConfig =
        new RaftConfig(
            config.memberId(),
            config.electionTicks(),
            1,
            MAX_BYTES_PER_APPEND,
            MAX_APPENDS_IN_FLIGHT,
            MAX_APPEND_BYTES_IN_FLIGHT,
            true,
            true,
            new SplittableRandom(config.raftSeed()));
    // The store skips what it already applied, so committed entries after the snapshot are simply
    // handed out again.
    rc.node = new RawNode(raftConfig, rc.storage);
    if (bootstrap.isPresent()) {
      rc.wal.tell(
          new RaftLogStore.Append(
              bootstrap,
              List.of(),
              Optional.of(new HardState(1, 0, 1)),
              rc.ctx.getSystem().ignoreRef()));
    }
    rc.start(Role.FOLLOWER);
    rc.transport.tell(PeerTransport.Publish.INSTANCE);
    if (config.initialVoters().size() == 1 && config.initialVoters().contains(config.memberId())) {
      // A one-member cluster needs no election timeout to know it wins (etcd:
      // initial-election-tick-advance).
      rc.node.campaign();
    }
    timers.startTimerAtFixedRate(RaftNode.Tick.INSTANCE, config.heartbeatInterval());
    rc.ctx
        .getLog()
        .info(
            "member {} recovered its WAL up to index {} (term {})",
            rc.memberHex(),
            log.lastIndex(),
            log.hardState().term());
    rc.loop.drive();
    return stash.unstashAll(rc.behaviorNow());
  }
}
