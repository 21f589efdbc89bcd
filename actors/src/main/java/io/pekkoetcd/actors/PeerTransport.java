package io.pekkoetcd.actors;

import io.pekkoetcd.actors.metrics.MemberMetrics;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The member's side of Pekko Cluster (Artery TCP) that is not a Raft message. It never decides
 * membership: Raft membership comes from Raft itself (the {@link PeerDirectory}'s membership, as
 * applied); Pekko Cluster only tells us who is reachable. Peers are learned and forgotten with the
 * membership: a member's address is looked up there for every message.
 *
 * <p>Addressing: every member runs the same actor system name ({@code pekko-etcd}) with its Artery
 * endpoint on its peer URL's host and port, and its transport at the fixed path {@code
 * /user/raft/peers}. So the transport of member {@code id} is the actor at that path on that
 * member's peer address, computed from its peer URL in the membership: no discovery round (a
 * Receptionist would need a converged cluster and CRDT gossip before the first vote could be sent,
 * and would lose track of a restarted member until gossip caught up). Raft messages do not pass
 * through the transport at all: a node sends them straight to the peer's {@link RaftNode} ({@code
 * /user/raft}, as {@link RaftNode.FromPeer}; {@link PeerOutbox}), which admits them with the same
 * {@link PeerFilter} verdicts and tells its transport of the ones it refuses ({@link Refused}).
 *
 * <p>Reachability: Pekko Cluster's failure detector reports unreachable members; the transport
 * tells the {@link RaftNode} ({@link RaftNode.PeerReachability}), which tells Raft ({@code
 * reportUnreachable}: the leader stops pipelining to that follower) and reports every later append
 * to that peer as a failed send until the transport says it is reachable again. No downing provider
 * runs, so an unreachable member stays a cluster member and heals when the network does.
 *
 * <p>Also says hello to every peer every second once its Raft node has started (so every member
 * knows which peers are alive, for etcd's reconfiguration checks; names and client URLs are
 * published through Raft), answers a joining member's {@link JoinQuery}, and tells a removed member
 * that still sends to it that it was removed ({@link Removed}; the removed member stops).
 */
public final class PeerTransport {
  private PeerTransport() {}

  /** Messages understood by the transport. */
  public sealed interface Command {}

  /**
   * The {@link RaftNode} refused a Raft message ({@link RaftNode.FromPeer}) from {@code senderId}
   * of cluster {@code clusterId} for {@code verdict} (never ACCEPT): logged (once per sender), and
   * a removed sender is told so.
   */
  record Refused(long clusterId, long senderId, PeerFilter.Verdict verdict) implements Command {}

  /** A peer's self-description, gossiped outside Raft, stamped with the sender's cluster ID. */
  public record PeerAttributes(long clusterId, long memberId, String name, List<String> clientUrls)
      implements Command {}

  private record Reachability(ClusterEvent.ReachabilityEvent event) implements Command {}

  private record ClusterRemoved(ClusterEvent.MemberRemoved event) implements Command {}

  /** Tells member {@code memberId} of cluster {@code clusterId} that it was removed. */
  public record Removed(long clusterId, long memberId) implements Command {}

  /**
   * A member started with {@code --initial-cluster-state existing} asks for the cluster's
   * membership; answered with a {@link JoinAnswer}.
   */
  public record JoinQuery(ActorRef<JoinAnswer> replyTo) implements Command {}

  /** The cluster's ID and membership, as the answering member has applied it. */
  public record JoinAnswer(long clusterId, io.pekkoetcd.protocol.internal.Membership membership) {}

  private enum Gossip implements Command {
    INSTANCE
  }

  /**
   * The Raft node has started (its WAL recovered or bootstrapped): from now on this member tells
   * its peers its name and client URLs. Not before: a new member first asks its peers whether they
   * know it already, which they must only if an earlier incarnation told them.
   */
  public enum Publish implements Command {
    INSTANCE
  }

  /** The transport's name under its parent, the {@link RaftNode} (itself {@code /user/raft}). */
  static final String NAME = "peers";

  static final String SYSTEM_NAME = "pekko-etcd";

  private static final Duration GOSSIP_INTERVAL = Duration.ofSeconds(1);

  static Behavior<Command> create(
      MemberConfig config, PeerDirectory directory, ActorRef<RaftNode.Command> raft) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerAtFixedRate(Gossip.INSTANCE, GOSSIP_INTERVAL);
                  return new State(ctx, config, directory, raft).behavior();
                }));
  }

  /** The Artery address of a member whose first peer URL is {@code peerUrl}. */
  public static Address peerAddress(String peerUrl) {
    URI u = URI.create(peerUrl);
    return new Address("pekko", SYSTEM_NAME, u.getHost(), u.getPort());
  }

  /**
   * Where MVCC snapshot chunks for member {@code peerId} go: its {@link SnapshotReceiver} at {@code
   * /user/raft/snapshots} on its peer address, resolved to a reference (a selection would travel on
   * Artery's ordinary lane; a resolved reference to a large-message destination uses the
   * large-message lane).
   */
  static Optional<SnapshotSender.Target> snapshotTarget(
      ActorSystem<?> system, PeerDirectory directory, long peerId) {
    return directory
        .peerUrl(peerId)
        .map(
            url -> {
              ActorSelection selection =
                  system
                      .classicSystem()
                      .actorSelection(peerAddress(url) + "/user/raft/" + SnapshotReceiver.NAME);
              return () -> selection.resolveOne(Duration.ofSeconds(5)).thenApply(Adapter::toTyped);
            });
  }

  private static final class State {
    private final ActorContext<Command> ctx;
    private final MemberConfig config;
    private final PeerDirectory directory;
    private final ActorRef<RaftNode.Command> raft;

    /** Peers' transports ({@code /user/raft/peers}). */
    private final PeerRefs<Command> peers;

    /** When each removed member was last told so (at most once a second each). */
    private final Map<Long, Long> removedNotified = new HashMap<>();

    private final PeerAttributes self;
    private final PeerFilter filter;

    /** Whether this member tells its peers its attributes yet ({@link Publish}). */
    private boolean publishing;

    State(
        ActorContext<Command> ctx,
        MemberConfig config,
        PeerDirectory directory,
        ActorRef<RaftNode.Command> raft) {
      this.ctx = ctx;
      this.config = config;
      this.directory = directory;
      this.raft = raft;
      this.self =
          new PeerAttributes(
              config.clusterId(), config.memberId(), config.name(), config.clientUrls());
      this.filter = PeerFilter.of(config.clusterId(), directory);
      this.peers = new PeerRefs<>(ctx.getSystem(), "/user/raft/" + NAME);
      // Peers start out reachable, as Pekko Cluster sees them until the failure detector says not
      // (the initial cluster's: the directory's membership may not be loaded yet at this point).
      for (MemberConfig.Peer p : config.initialCluster()) {
        if (p.id() != config.memberId()) {
          MemberMetrics.get(ctx.getSystem()).peerReachable(p.id(), true);
        }
      }
      Cluster.get(ctx.getSystem())
          .subscriptions()
          .tell(
              Subscribe.create(
                  ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new),
                  ClusterEvent.ReachabilityEvent.class));
      // A restarted member is a new incarnation at the same address: the old one is removed, with
      // no
      // ReachableMember event, and the new one starts out reachable.
      Cluster.get(ctx.getSystem())
          .subscriptions()
          .tell(
              Subscribe.create(
                  ctx.messageAdapter(ClusterEvent.MemberRemoved.class, ClusterRemoved::new),
                  ClusterEvent.MemberRemoved.class));
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Refused.class, this::onRefused)
          .onMessage(PeerAttributes.class, this::onAttributes)
          .onMessage(Reachability.class, this::onReachability)
          .onMessage(Removed.class, this::onRemoved)
          .onMessage(ClusterRemoved.class, this::onLeftCluster)
          .onMessage(JoinQuery.class, this::onJoinQuery)
          .onMessageEquals(Gossip.INSTANCE, this::onGossip)
          .onMessageEquals(
              Publish.INSTANCE,
              () -> {
                publishing = true;
                return onGossip();
              })
          .build();
    }

    /** The transport of member {@code id} (never this one), if it is a member. */
    private Optional<ActorRef<Command>> peer(long id) {
      if (id == config.memberId()) {
        return Optional.empty();
      }
      return directory.peerUrl(id).map(peers::at);
    }

    private Behavior<Command> onRefused(Refused r) {
      refused(r.verdict(), r.clusterId(), r.senderId());
      return Behaviors.same();
    }

    private boolean accepted(long senderClusterId, long senderId) {
      PeerFilter.Verdict verdict = filter.check(senderClusterId, senderId);
      if (verdict == PeerFilter.Verdict.ACCEPT) {
        directory.heard(senderId);
        return true;
      }
      refused(verdict, senderClusterId, senderId);
      return false;
    }

    /** A message from {@code senderId} was dropped for {@code verdict}: tell and log as etcd. */
    private void refused(PeerFilter.Verdict verdict, long senderClusterId, long senderId) {
      if (verdict == PeerFilter.Verdict.REMOVED) {
        tellRemoved(senderId);
      }
      if (filter.firstReport(verdict, senderClusterId, senderId)) {
        ctx.getLog()
            .warn(
                "dropping messages from member {} of cluster {} (this is member {} of cluster {}): {}",
                Long.toHexString(senderId),
                Long.toHexString(senderClusterId),
                Long.toHexString(config.memberId()),
                Long.toHexString(config.clusterId()),
                switch (verdict) {
                  case CLUSTER_MISMATCH -> "request cluster ID mismatch";
                  case REMOVED -> "the member has been permanently removed from the cluster";
                  case UNKNOWN_MEMBER, ACCEPT -> "unknown member";
                });
      }
    }

    /** Tell a removed member that still talks to us (at most once a second). */
    private void tellRemoved(long id) {
      long now = System.nanoTime();
      Long last = removedNotified.get(id);
      if (last != null && now - last < 1_000_000_000L) {
        return;
      }
      removedNotified.put(id, now);
      directory
          .removedPeerUrl(id)
          .ifPresent(u -> peers.at(u).tell(new Removed(config.clusterId(), id)));
    }

    private Behavior<Command> onRemoved(Removed r) {
      if (r.clusterId() == config.clusterId() && r.memberId() == config.memberId()) {
        ctx.getLog()
            .error(
                "the member has been permanently removed from the cluster (member {}); stopping",
                Long.toHexString(config.memberId()));
        ctx.getSystem().terminate();
      }
      return Behaviors.same();
    }

    private Behavior<Command> onJoinQuery(JoinQuery q) {
      q.replyTo().tell(new JoinAnswer(config.clusterId(), directory.members().toProto()));
      return Behaviors.same();
    }

    /** A peer's periodic hello: it is alive (names and client URLs travel through Raft). */
    private Behavior<Command> onAttributes(PeerAttributes a) {
      accepted(a.clusterId(), a.memberId());
      return Behaviors.same();
    }

    /** The member whose first peer URL is at {@code address}, if any. */
    private Optional<Long> idAt(Address address) {
      return directory.members().list().stream()
          .filter(m -> m.getPeerURLsCount() > 0 && peerAddress(m.getPeerURLs(0)).equals(address))
          .map(m -> m.getID())
          .findFirst();
    }

    private Behavior<Command> onReachability(Reachability r) {
      Optional<Long> found = idAt(r.event().member().address());
      if (found.isEmpty()) {
        return Behaviors.same();
      }
      long id = found.get();
      boolean reachable = !(r.event() instanceof ClusterEvent.UnreachableMember);
      MemberMetrics.get(ctx.getSystem()).peerReachable(id, reachable);
      ctx.getLog()
          .info(
              reachable ? "peer {} is reachable again" : "peer {} is unreachable",
              Long.toHexString(id));
      raft.tell(new RaftNode.PeerReachability(id, reachable));
      return Behaviors.same();
    }

    private Behavior<Command> onLeftCluster(ClusterRemoved r) {
      // The incarnation the failure detector judged is gone; the next one starts out reachable.
      idAt(r.event().member().address())
          .ifPresent(
              id -> {
                MemberMetrics.get(ctx.getSystem()).peerReachable(id, true);
                raft.tell(new RaftNode.PeerReachability(id, true));
              });
      return Behaviors.same();
    }

    private Behavior<Command> onGossip() {
      if (!publishing) {
        return Behaviors.same();
      }
      for (io.pekkoetcd.protocol.etcdserverpb.Member m : directory.members().list()) {
        peer(m.getID()).ifPresent(p -> p.tell(self));
      }
      return Behaviors.same();
    }
  }
}
