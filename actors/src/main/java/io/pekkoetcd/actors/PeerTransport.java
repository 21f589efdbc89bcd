package io.pekkoetcd.actors;

import io.pekkoetcd.actors.metrics.MemberMetrics;
import io.pekkoetcd.raft.Message;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
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
 * Carries Raft messages between members over Pekko Cluster (Artery TCP). It never decides
 * membership: Raft membership comes from the initial cluster (and later from Raft itself); Pekko
 * Cluster only tells us who is reachable.
 *
 * <p>Addressing: every member runs the same actor system name ({@code pekko-etcd}) with its Artery
 * endpoint on its peer URL's host and port, and its transport at the fixed path {@code
 * /user/raft/peers}. So the transport of member {@code id} is an actor selection on that member's
 * peer address, computed from {@code --initial-cluster}: no discovery round (a Receptionist would
 * need a converged cluster and CRDT gossip before the first vote could be sent, and would lose
 * track of a restarted member until gossip caught up). Messages are fire-and-forget: lost ones
 * (peer down, partition) are retried by Raft itself.
 *
 * <p>Reachability: Pekko Cluster's failure detector reports unreachable members; the transport
 * tells the {@link RaftNode}, which tells Raft ({@code reportUnreachable}: the leader stops
 * pipelining to that follower). No downing provider runs, so an unreachable member stays a cluster
 * member and heals when the network does.
 *
 * <p>Also gossips this member's name and client URLs to its peers every second ({@link
 * PeerDirectory}).
 */
public final class PeerTransport {
  private PeerTransport() {}

  /** Messages understood by the transport. */
  public sealed interface Command {}

  /**
   * Send these Raft messages (each to its {@code to}); called only after the Ready that made them
   * is durable.
   */
  public record Send(List<Message> messages) implements Command {}

  /**
   * A Raft message from a peer's transport (the only Raft message type that crosses the wire),
   * stamped with the sender's cluster ID.
   */
  public record FromPeer(long clusterId, Message message) implements Command {}

  /** A peer's self-description, gossiped outside Raft, stamped with the sender's cluster ID. */
  public record PeerAttributes(long clusterId, long memberId, String name, List<String> clientUrls)
      implements Command {}

  private record Reachability(ClusterEvent.ReachabilityEvent event) implements Command {}

  private record Removed(ClusterEvent.MemberRemoved event) implements Command {}

  private enum Gossip implements Command {
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
      ActorSystem<?> system, MemberConfig config, long peerId) {
    return config.initialCluster().stream()
        .filter(p -> p.id() == peerId)
        .findFirst()
        .map(
            p -> {
              ActorSelection selection =
                  system
                      .classicSystem()
                      .actorSelection(
                          peerAddress(p.peerUrls().get(0)) + "/user/raft/" + SnapshotReceiver.NAME);
              return () -> selection.resolveOne(Duration.ofSeconds(5)).thenApply(Adapter::toTyped);
            });
  }

  private static final class State {
    private final ActorContext<Command> ctx;
    private final MemberConfig config;
    private final PeerDirectory directory;
    private final ActorRef<RaftNode.Command> raft;
    private final Map<Long, ActorSelection> peers = new HashMap<>();
    private final Map<Address, Long> idsByAddress = new HashMap<>();

    /** Peers the failure detector currently reports unreachable. */
    private final java.util.Set<Long> unreachable = new HashSet<>();

    private final PeerAttributes self;
    private final PeerFilter filter;

    State(
        ActorContext<Command> ctx,
        MemberConfig config,
        PeerDirectory directory,
        ActorRef<RaftNode.Command> raft) {
      this.ctx = ctx;
      this.config = config;
      this.directory = directory;
      this.raft = raft;
      for (MemberConfig.Peer p : config.initialCluster()) {
        Address address = peerAddress(p.peerUrls().get(0));
        idsByAddress.put(address, p.id());
        if (p.id() != config.memberId()) {
          MemberMetrics.get(ctx.getSystem()).peerReachable(p.id(), true);
          peers.put(
              p.id(),
              ctx.getSystem().classicSystem().actorSelection(address + "/user/raft/" + NAME));
        }
      }
      this.self =
          new PeerAttributes(
              config.clusterId(), config.memberId(), config.name(), config.clientUrls());
      this.filter = new PeerFilter(config.clusterId(), java.util.Set.copyOf(idsByAddress.values()));
      directory.learn(
          config.memberId(), new PeerDirectory.Attributes(config.name(), config.clientUrls()));
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
                  ctx.messageAdapter(ClusterEvent.MemberRemoved.class, Removed::new),
                  ClusterEvent.MemberRemoved.class));
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Send.class, this::onSend)
          .onMessage(FromPeer.class, this::onFromPeer)
          .onMessage(PeerAttributes.class, this::onAttributes)
          .onMessage(Reachability.class, this::onReachability)
          .onMessage(Removed.class, this::onRemoved)
          .onMessageEquals(Gossip.INSTANCE, this::onGossip)
          .build();
    }

    private Behavior<Command> onSend(Send s) {
      for (Message m : s.messages()) {
        ActorSelection peer = peers.get(m.to());
        if (peer == null) {
          ctx.getLog()
              .debug(
                  "no peer address for member {}: dropping {}", Long.toHexString(m.to()), m.type());
          continue;
        }
        peer.tell(new FromPeer(config.clusterId(), m), org.apache.pekko.actor.ActorRef.noSender());
        if (m instanceof Message.MsgApp && unreachable.contains(m.to())) {
          // As etcd reports each failed send: the leader goes back to probing instead of pipelining
          // into the void.
          raft.tell(new RaftNode.PeerUnreachable(m.to()));
        }
      }
      return Behaviors.same();
    }

    private Behavior<Command> onFromPeer(FromPeer f) {
      if (accepted(f.clusterId(), f.message().from())) {
        raft.tell(new RaftNode.Step(f.message()));
      }
      return Behaviors.same();
    }

    private boolean accepted(long senderClusterId, long senderId) {
      PeerFilter.Verdict verdict = filter.check(senderClusterId, senderId);
      if (verdict != PeerFilter.Verdict.ACCEPT
          && filter.firstReport(verdict, senderClusterId, senderId)) {
        ctx.getLog()
            .warn(
                "dropping messages from member {} of cluster {} (this is member {} of cluster {}): {}",
                Long.toHexString(senderId),
                Long.toHexString(senderClusterId),
                Long.toHexString(config.memberId()),
                Long.toHexString(config.clusterId()),
                verdict == PeerFilter.Verdict.CLUSTER_MISMATCH
                    ? "request cluster ID mismatch"
                    : "unknown member");
      }
      return verdict == PeerFilter.Verdict.ACCEPT;
    }

    private Behavior<Command> onAttributes(PeerAttributes a) {
      if (!accepted(a.clusterId(), a.memberId())) {
        return Behaviors.same();
      }
      directory.learn(
          a.memberId(), new PeerDirectory.Attributes(a.name(), List.copyOf(a.clientUrls())));
      return Behaviors.same();
    }

    private Behavior<Command> onReachability(Reachability r) {
      Long id = idsByAddress.get(r.event().member().address());
      if (id == null) {
        return Behaviors.same();
      }
      MemberMetrics.get(ctx.getSystem())
          .peerReachable(id, !(r.event() instanceof ClusterEvent.UnreachableMember));
      if (r.event() instanceof ClusterEvent.UnreachableMember) {
        unreachable.add(id);
        ctx.getLog().info("peer {} is unreachable", Long.toHexString(id));
        raft.tell(new RaftNode.PeerUnreachable(id));
      } else {
        unreachable.remove(id);
        ctx.getLog().info("peer {} is reachable again", Long.toHexString(id));
      }
      return Behaviors.same();
    }

    private Behavior<Command> onRemoved(Removed r) {
      Long id = idsByAddress.get(r.event().member().address());
      if (id != null) {
        unreachable.remove(id);
      }
      return Behaviors.same();
    }

    private Behavior<Command> onGossip() {
      for (ActorSelection peer : peers.values()) {
        peer.tell(self, org.apache.pekko.actor.ActorRef.noSender());
      }
      return Behaviors.same();
    }
  }
}
