package io.pekkoetcd.actors;

import io.pekkoetcd.protocol.etcdserverpb.Member;
import io.pekkoetcd.protocol.etcdserverpb.MemberAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberAddResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberListResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberPromoteRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberPromoteResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberRemoveRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberRemoveResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberUpdateRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberUpdateResponse;
import io.pekkoetcd.protocol.etcdserverpb.MoveLeaderRequest;
import io.pekkoetcd.protocol.etcdserverpb.MoveLeaderResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.protocol.internal.MemberChange;
import io.pekkoetcd.protocol.internal.Membership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The Cluster service and Maintenance.MoveLeader for {@link EtcdMember}: membership changes as Raft
 * configuration changes after etcd's strict reconfiguration checks, the member list, etcd's publish
 * of this member's attributes, and leadership transfer. Failures are {@link ServerException}s.
 */
final class ClusterAdmin {
  private final ActorSystem<?> system;
  private final MemberConfig config;
  private final PeerDirectory directory;
  private final ActorRef<RaftNode.Command> raft;
  private final Duration askTimeout;
  private final Headers headers;

  /** Proposes a client's membership change (refused on a learner). */
  private final Function<InternalRaftRequest.Builder, CompletionStage<Membership>> propose;

  /** Proposes this member's own publish (a learner publishes too). */
  private final Function<InternalRaftRequest.Builder, CompletionStage<Membership>> proposeInternal;

  ClusterAdmin(
      ActorSystem<?> system,
      MemberConfig config,
      PeerDirectory directory,
      ActorRef<RaftNode.Command> raft,
      Duration askTimeout,
      Headers headers,
      Function<InternalRaftRequest.Builder, CompletionStage<Membership>> propose,
      Function<InternalRaftRequest.Builder, CompletionStage<Membership>> proposeInternal) {
    this.system = system;
    this.config = config;
    this.directory = directory;
    this.raft = raft;
    this.askTimeout = askTimeout;
    this.headers = headers;
    this.propose = propose;
    this.proposeInternal = proposeInternal;
  }

  private CompletionStage<Long> leader() {
    return AskPattern.ask(raft, RaftNode.GetStatus::new, askTimeout, system.scheduler())
        .thenApply(RaftNode.RaftStatus::leader);
  }

  /** The membership as this member has applied it. */
  CompletionStage<MemberListResponse> memberList() {
    return AskPattern.ask(raft, RaftNode.GetStatus::new, askTimeout, system.scheduler())
        .thenApply(
            r ->
                MemberListResponse.newBuilder()
                    .setHeader(headers.header(0, r.term()))
                    .addAllMembers(withOwnAttributes(directory.members().list()))
                    .build());
  }

  /**
   * This member's own name and client URLs even before its publish is applied (etcd serves no
   * client until it has published them).
   */
  private List<Member> withOwnAttributes(List<Member> members) {
    List<Member> out = new ArrayList<>(members.size());
    for (Member m : members) {
      out.add(
          m.getID() == config.memberId() && m.getClientURLsCount() == 0
              ? m.toBuilder().setName(config.name()).addAllClientURLs(config.clientUrls()).build()
              : m);
    }
    return out;
  }

  /** Cluster.MemberAdd: a new member (voter or learner) with an ID etcd's way (URLs + time). */
  CompletionStage<MemberAddResponse> memberAdd(MemberAddRequest request) {
    if (!validPeerUrls(request.getPeerURLsList())) {
      return CompletableFuture.failedFuture(new ServerException(ServerError.INVALID_PEER_URLS));
    }
    Member added =
        Member.newBuilder()
            .setID(
                MemberIds.memberId(
                    request.getPeerURLsList(), String.valueOf(System.currentTimeMillis() / 1000)))
            .addAllPeerURLs(request.getPeerURLsList())
            .setIsLearner(request.getIsLearner())
            .build();
    return changeMembership(MemberChange.Kind.ADD, added.toBuilder())
        .thenApply(
            c ->
                MemberAddResponse.newBuilder()
                    .setHeader(c.header())
                    .setMember(added)
                    .addAllMembers(c.members())
                    .build());
  }

  CompletionStage<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
    return changeMembership(MemberChange.Kind.REMOVE, Member.newBuilder().setID(request.getID()))
        .thenApply(
            c ->
                MemberRemoveResponse.newBuilder()
                    .setHeader(c.header())
                    .addAllMembers(c.members())
                    .build());
  }

  /** Cluster.MemberUpdate: new peer URLs for a member. */
  CompletionStage<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
    if (!validPeerUrls(request.getPeerURLsList())) {
      return CompletableFuture.failedFuture(new ServerException(ServerError.INVALID_PEER_URLS));
    }
    return changeMembership(
            MemberChange.Kind.UPDATE,
            Member.newBuilder().setID(request.getID()).addAllPeerURLs(request.getPeerURLsList()))
        .thenApply(
            c ->
                MemberUpdateResponse.newBuilder()
                    .setHeader(c.header())
                    .addAllMembers(c.members())
                    .build());
  }

  /** Cluster.MemberPromote: a learner whose log is caught up becomes a voter (on the leader). */
  CompletionStage<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
    return changeMembership(MemberChange.Kind.PROMOTE, Member.newBuilder().setID(request.getID()))
        .thenApply(
            c ->
                MemberPromoteResponse.newBuilder()
                    .setHeader(c.header())
                    .addAllMembers(c.members())
                    .build());
  }

  /** A membership change's outcome: the header (revision 0, as etcd) and the members after it. */
  private record Changed(ResponseHeader header, List<Member> members) {}

  /**
   * etcd's strict reconfiguration checks on this member's view, then the change through Raft (a
   * configuration change, one at a time), answered once applied here with the membership after it.
   */
  private CompletionStage<Changed> changeMembership(MemberChange.Kind kind, Member.Builder member) {
    MemberChange change = MemberChange.newBuilder().setKind(kind).setMember(member).build();
    return checkReconfig(raft, change)
        .thenCompose(
            answer -> {
              if (answer.error() == ServerError.NOT_LEADER && kind == MemberChange.Kind.PROMOTE) {
                // only the leader knows whether the learner is in sync: ask it (etcd forwards the
                // promote to the leader)
                return leader()
                    .thenCompose(this::leaderRaftNode)
                    .thenCompose(leaderNode -> checkReconfig(leaderNode, change));
              }
              return CompletableFuture.completedFuture(answer);
            })
        .thenCompose(
            answer -> {
              if (answer.error() != null) {
                return CompletableFuture.failedFuture(new ServerException(answer.error()));
              }
              return propose.apply(InternalRaftRequest.newBuilder().setMemberChange(change));
            })
        .thenCombine(
            AskPattern.ask(raft, RaftNode.GetStatus::new, askTimeout, system.scheduler()),
            (m, r) -> new Changed(headers.header(0, r.term()), m.getMembersList()));
  }

  private CompletionStage<RaftNode.ReconfigAnswer> checkReconfig(
      ActorRef<RaftNode.Command> node, MemberChange change) {
    return AskPattern.ask(
        node, r -> new RaftNode.CheckReconfig(change, r), askTimeout, system.scheduler());
  }

  /** The Raft node of the leader, over the peer port ("no leader" if none is known). */
  private CompletionStage<ActorRef<RaftNode.Command>> leaderRaftNode(long leader) {
    Optional<String> url = leader == 0 ? Optional.empty() : directory.peerUrl(leader);
    if (url.isEmpty()) {
      return CompletableFuture.failedFuture(new ServerException(ServerError.NO_LEADER));
    }
    return org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system)
        .actorSelection(PeerTransport.peerAddress(url.get()) + "/user/raft")
        .resolveOne(askTimeout)
        .thenApply(org.apache.pekko.actor.typed.javadsl.Adapter::<RaftNode.Command>toTyped);
  }

  /** etcd's types.NewURLs: http(s) URLs with a host and a port and no path. */
  static boolean validPeerUrls(List<String> urls) {
    if (urls.isEmpty()) {
      return false;
    }
    for (String u : urls) {
      try {
        java.net.URI uri = new java.net.URI(u);
        String scheme = uri.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme))
            || uri.getHost() == null
            || uri.getPort() < 0
            || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
          return false;
        }
      } catch (java.net.URISyntaxException e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Maintenance.MoveLeader: only on the leader; answered once the transferee leads (as etcd, the
   * response has no header).
   */
  CompletionStage<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
    return AskPattern.<RaftNode.Command, org.apache.pekko.Done>askWithStatus(
            raft,
            r -> new RaftNode.TransferLeadership(request.getTargetID(), r),
            askTimeout.plusSeconds(1),
            system.scheduler())
        .thenApply(d -> MoveLeaderResponse.getDefaultInstance());
  }

  /**
   * etcd's publish: once started, this member proposes its name and client URLs through Raft (a
   * membership change), every 500 ms until the membership it applied holds them; a learner too.
   */
  void publishAttributes() {
    java.util.concurrent.atomic.AtomicBoolean inFlight =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Cancellable> task =
        new java.util.concurrent.atomic.AtomicReference<>();
    task.set(
        system
            .scheduler()
            .scheduleWithFixedDelay(
                Duration.ZERO,
                Duration.ofMillis(500),
                () -> {
                  Optional<Member> self = directory.members().get(config.memberId());
                  if (self.isPresent()
                      && self.get().getName().equals(config.name())
                      && self.get().getClientURLsList().equals(config.clientUrls())) {
                    task.get().cancel();
                    return;
                  }
                  if (self.isEmpty() || !inFlight.compareAndSet(false, true)) {
                    return;
                  }
                  MemberChange publish =
                      MemberChange.newBuilder()
                          .setKind(MemberChange.Kind.ATTRIBUTES)
                          .setMember(
                              Member.newBuilder()
                                  .setID(config.memberId())
                                  .setName(config.name())
                                  .addAllClientURLs(config.clientUrls()))
                          .build();
                  proposeInternal
                      .apply(InternalRaftRequest.newBuilder().setMemberChange(publish))
                      .whenComplete((r, e) -> inFlight.set(false));
                },
                system.executionContext()));
  }
}
