package io.pekkoetcd.actors;

import io.pekkoetcd.persistence.RaftLogSnapshot;
import io.pekkoetcd.persistence.RaftLogStore;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.Role;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/**
 * The member's Raft node: owns a {@code raft-core} {@code RawNode} and carries out its {@code
 * Ready}s. Its behaviour is its role, as {@code raft-core} reports it in a Ready's soft state:
 * {@link Recovering} (loading the WAL), then {@link FollowerRole}, {@link CandidateRole} (pre-vote
 * is its first phase) or {@link LeaderRole}. {@code raft-core} alone decides transitions; the
 * behaviours only carry out their role's I/O and what a role owns stops when the role is left.
 *
 * <p>The parts, each in its own file: {@link RaftContext} (the state every role shares: RawNode,
 * WAL, KV actor, transport, ticks), {@link ReadyLoop} (persist, send, apply, advance; WAL
 * compaction), {@link HeldRequests} (proposals and reads waiting for a leader), {@link ReadIndexes}
 * (linearizable reads handed to Raft) and {@link SnapshotSenders} (a leader's MVCC snapshot
 * transfers).
 *
 * <p>Time reaches Raft only as ticks from one periodic timer; randomness only through {@link
 * MemberConfig#raftSeed()}; the WAL, the transport and the snapshot actors come from {@link Deps},
 * so tests can run a node over an in-memory WAL and probes.
 */
public final class RaftNode {

  private RaftNode() {}

  /** Messages understood by the Raft node: every role answers every one. */
  public sealed interface Command {}

  /**
   * Propose a request that the caller registered in {@link PendingRequests} under {@code
   * request.id}.
   */
  public record Propose(InternalRaftRequest request) implements Command {}

  /** A Raft message to step (from a peer, once {@link #FromPeer admitted}; tests send it as is). */
  public record Step(Message message) implements Command {}

  /**
   * A Raft message from a peer's node (its {@link PeerOutbox}), stamped with the sender's cluster
   * ID: the only Raft message type that crosses the wire. Peers send it to this actor directly
   * ({@code /user/raft}), not through either member's {@link PeerTransport}: no actor hop between
   * the two nodes but Artery's own. Admitted as the transport's {@link PeerFilter} says; the
   * transport is told of the others.
   */
  public record FromPeer(long clusterId, Message message) implements Command {}

  /**
   * The transport lost ({@code reachable} false) or regained contact with {@code memberId}; also
   * sent by the node to itself for every append it sends to a peer it knows unreachable, as etcd
   * reports each failed send (the leader goes back to probing instead of pipelining into the void).
   */
  public record PeerReachability(long memberId, boolean reachable) implements Command {}

  /**
   * Obtain a read index for a linearizable read: the answer is the index the {@link KvActor} must
   * have applied before the read is served; or {@link ServerException} with "leader changed" /
   * "request timed out".
   */
  public record ReadIndex(ActorRef<StatusReply<Long>> replyTo) implements Command {}

  /**
   * Run etcd's strict reconfiguration checks ({@link ReconfigCheck}) for {@code change} against
   * this member's view: the answer is the refusal, or empty to go ahead and propose it.
   */
  public record CheckReconfig(
      io.pekkoetcd.protocol.internal.MemberChange change, ActorRef<ReconfigAnswer> replyTo)
      implements Command {}

  /**
   * The answer to {@link CheckReconfig}: {@code error} null to go ahead (it may cross the peer
   * port: a follower asks the leader about a promote).
   */
  public record ReconfigAnswer(ServerError error) {}

  /**
   * Maintenance.MoveLeader: hand leadership to voter {@code transferee}; answered once this member
   * knows it as the leader, or with {@link ServerException} "not leader", "bad leader transferee"
   * or "request timed out, leader transfer took too long".
   */
  public record TransferLeadership(
      long transferee, ActorRef<StatusReply<org.apache.pekko.Done>> replyTo) implements Command {}

  /** Report the Raft figures. */
  public record GetStatus(ActorRef<RaftStatus> replyTo) implements Command {}

  /**
   * The node's Raft figures for Maintenance.Status: {@code leader} 0 = none known; {@code
   * snapshotsSent}: MVCC snapshots streamed to followers since start.
   */
  public record RaftStatus(long leader, long term, long commitIndex, long snapshotsSent) {}

  enum Tick implements Command {
    INSTANCE
  }

  record Recovered(RaftLogSnapshot log) implements Command {}

  /** A peer's answer to a new member's question whether the cluster already knows it as started. */
  record PeerKnows(PeerTransport.JoinAnswer answer) implements Command {}

  /** No peer answered in time: start as a new member. */
  enum BootstrapCheckDone implements Command {
    INSTANCE
  }

  record Persisted(RaftLogStore.Appended appended) implements Command {}

  record WrappedApplied(KvActor.AppliedTo applied) implements Command {}

  record SnapshotFinished(SnapshotSender.Finished finished) implements Command {}

  record SenderStopped(long peer, ActorRef<SnapshotSender.Command> sender) implements Command {}

  /**
   * What the node spawns as children: its WAL, its peer transport (given the node's own ref), its
   * snapshot receiver (none in tests) and the leader's snapshot senders; where its Raft messages go
   * (its {@link PeerOutbox}, made on the node's own context); and how long a new member waits for
   * its peers to say whether they know it already (ZERO: it does not ask).
   */
  public record Deps(
      Behavior<RaftLogStore.Command> wal,
      Function<ActorRef<Command>, Behavior<PeerTransport.Command>> transport,
      Function<ActorContext<Command>, PeerOutbox> outbox,
      Optional<Function<ActorRef<Command>, Behavior<SnapshotReceiver.Command>>> snapshotReceiver,
      SnapshotSenders.Factory snapshotSender,
      Duration bootstrapCheck) {

    /**
     * Without asking peers before bootstrapping ({@code bootstrapCheck} ZERO: tests on ManualTime).
     */
    public Deps(
        Behavior<RaftLogStore.Command> wal,
        Function<ActorRef<Command>, Behavior<PeerTransport.Command>> transport,
        Function<ActorContext<Command>, PeerOutbox> outbox,
        Optional<Function<ActorRef<Command>, Behavior<SnapshotReceiver.Command>>> snapshotReceiver,
        SnapshotSenders.Factory snapshotSender) {
      this(wal, transport, outbox, snapshotReceiver, snapshotSender, Duration.ZERO);
    }

    /**
     * The real ones: the LevelDB WAL, Pekko Cluster transport, Raft messages straight to the peers'
     * nodes over Artery, MVCC snapshot streaming.
     */
    public static Deps production(
        MemberConfig config, PeerDirectory directory, ActorRef<KvActor.Command> kv) {
      return new Deps(
          RaftLogStore.create(
              config.memberId(), walSnapshotEveryEvents(config.compactionInterval())),
          self -> PeerTransport.create(config, directory, self),
          ctx -> PeerOutbox.remote(ctx.getSystem(), config.clusterId(), directory),
          Optional.of(
              self ->
                  SnapshotReceiver.create(
                      config.clusterId(), config.snapDir(), self, Duration.ofSeconds(30))),
          SnapshotSenders.streaming(config, directory, kv),
          // a new member asks its peers whether they know it already, for at most a second
          Duration.ofSeconds(1));
    }

    /**
     * Journal events between the WAL's state snapshots. A state snapshot holds every entry since
     * the last compaction, up to the compaction interval plus the catch-up tail, so taking one
     * every interval (at least 10,000) events writes each entry again at most about once. Recovery
     * replays at most this many events, as etcd replays at most {@code --snapshot-count} WAL
     * entries.
     */
    static int walSnapshotEveryEvents(long compactionInterval) {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(10_000L, compactionInterval));
    }
  }

  public static Behavior<Command> create(
      MemberConfig config,
      PendingRequests pending,
      PeerDirectory directory,
      ActorRef<KvActor.Command> kv) {
    return create(config, pending, kv, Deps.production(config, directory, kv), directory);
  }

  /** A node whose membership starts as the initial cluster's (tests). */
  public static Behavior<Command> create(
      MemberConfig config, PendingRequests pending, ActorRef<KvActor.Command> kv, Deps deps) {
    PeerDirectory directory = new PeerDirectory();
    directory.setMembers(config.initialMembers());
    return create(config, pending, kv, deps, directory);
  }

  public static Behavior<Command> create(
      MemberConfig config,
      PendingRequests pending,
      ActorRef<KvActor.Command> kv,
      Deps deps,
      PeerDirectory directory) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        config.maxPendingProposals(),
                        stash ->
                            new Recovering(
                                    new RaftContext(ctx, config, pending, kv, deps, directory),
                                    stash,
                                    timers)
                                .behavior())));
  }

  /** The behaviour for a role: pre-candidate and candidate share one. */
  static RoleBehavior roleFor(RaftContext rc, Role role) {
    return switch (role) {
      case FOLLOWER -> new FollowerRole(rc);
      case PRE_CANDIDATE, CANDIDATE -> new CandidateRole(rc);
      case LEADER -> new LeaderRole(rc);
    };
  }

  static final String SNAPSHOT_DISPATCHER = "pekko-etcd.snapshot-dispatcher";
}
