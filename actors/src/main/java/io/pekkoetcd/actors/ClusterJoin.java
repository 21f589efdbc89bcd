package io.pekkoetcd.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.pekkoetcd.actors.apply.Members;
import io.pekkoetcd.protocol.etcdserverpb.Member;
import io.pekkoetcd.protocol.raft.ClusterJoinAnswer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Joining a running cluster ({@code --initial-cluster-state existing}), as etcd's {@code
 * GetClusterFromRemotePeers}: a member with an empty data dir asks its peers for the cluster's
 * membership (over the peer port: a {@link PeerTransport.JoinQuery} from a short-lived actor system
 * on an ephemeral port, so the member's own peer port stays free), finds itself in it by its peer
 * URLs (it must have been added with MemberAdd), and records what it learned in {@code
 * member/join.pb} before it starts: its member ID (etcd gives an added member an ID derived from
 * the time of the add), the cluster ID and the membership. From then on the member starts from that
 * record, with an empty Raft log and no configuration of its own: the leader sends it a snapshot.
 */
public final class ClusterJoin {
  private ClusterJoin() {}

  /** What a joining member learned from its peers (also read back on every later start). */
  public record Joined(long memberId, long clusterId, Members members) {}

  static Path file(Path dataDir) {
    return dataDir.resolve("member").resolve("join.pb");
  }

  /** The record of an earlier join in {@code dataDir}, if this member joined a running cluster. */
  public static Optional<Joined> read(Path dataDir) {
    Path f = file(dataDir);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      ClusterJoinAnswer a = ClusterJoinAnswer.parseFrom(Files.readAllBytes(f));
      return Optional.of(
          new Joined(
              a.getMemberId(), a.getClusterId(), Members.decode(a.getMembership().toByteArray())));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** Records the join in {@code dataDir} (atomically: written aside, then renamed). */
  public static void write(Path dataDir, Joined joined) {
    Path f = file(dataDir);
    try {
      Files.createDirectories(f.getParent());
      Path tmp = f.resolveSibling("join.pb.tmp");
      Files.write(
          tmp,
          ClusterJoinAnswer.newBuilder()
              .setMemberId(joined.memberId())
              .setClusterId(joined.clusterId())
              .setMembership(joined.members().toProto())
              .build()
              .toByteArray());
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + f + ": " + e.getMessage(), e);
    }
  }

  /**
   * Asks the members at {@code peerUrls} (in turn, each for at most {@code timeout}) for the
   * cluster's membership and finds the member whose peer URLs are {@code ownPeerUrls}.
   *
   * @param base the member's actor system configuration (serializers); its Artery endpoint is moved
   *     to an ephemeral port on {@code host}
   * @throws IllegalStateException with etcd's wording when no peer answers or this member was not
   *     added
   */
  public static Joined ask(
      Config base, String host, List<String> peerUrls, List<String> ownPeerUrls, Duration timeout) {
    Config config =
        ConfigFactory.empty()
            .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("remote"))
            .withValue(
                "pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
            .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(0))
            .withValue("pekko.remote.artery.bind.hostname", ConfigValueFactory.fromAnyRef(host))
            .withValue("pekko.remote.artery.bind.port", ConfigValueFactory.fromAnyRef(0))
            .withValue(
                "pekko.remote.artery.advanced.tcp.outbound-client-hostname",
                ConfigValueFactory.fromAnyRef(host))
            .withValue("pekko.loglevel", ConfigValueFactory.fromAnyRef("WARNING"))
            .withFallback(base);
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), PeerTransport.SYSTEM_NAME, config);
    try {
      for (String url : peerUrls) {
        try {
          PeerTransport.JoinAnswer answer =
              AskPattern.<PeerTransport.Command, PeerTransport.JoinAnswer>ask(
                      Adapter.toTyped(
                          Adapter.toClassic(system)
                              .actorSelection(
                                  PeerTransport.peerAddress(url)
                                      + "/user/raft/"
                                      + PeerTransport.NAME)
                              .resolveOne(timeout)
                              .toCompletableFuture()
                              .get()),
                      PeerTransport.JoinQuery::new,
                      timeout,
                      system.scheduler())
                  .toCompletableFuture()
                  .get();
          return joined(answer, ownPeerUrls);
        } catch (java.util.concurrent.ExecutionException e) {
          system.log().warn("could not get cluster response from {}: {}", url, e.getCause());
        }
      }
      throw new IllegalStateException(
          "cannot fetch cluster info from peer urls: could not retrieve cluster information from"
              + " the given URLs");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while joining", e);
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get();
      } catch (Exception e) {
        // the short-lived system is gone either way
      }
    }
  }

  private static Joined joined(PeerTransport.JoinAnswer answer, List<String> ownPeerUrls) {
    Members members = Members.decode(answer.membership().toByteArray());
    List<String> own = ownPeerUrls.stream().sorted().toList();
    Optional<Member> self =
        members.list().stream()
            .filter(m -> m.getPeerURLsList().stream().sorted().toList().equals(own))
            .findFirst();
    if (self.isEmpty()) {
      // etcd: ValidateClusterAndAssignIDs
      throw new IllegalStateException(
          "error validating peerURLs "
              + members
              + ": member count is unequal (this member's peer URLs "
              + ownPeerUrls
              + " were not added with member add)");
    }
    return new Joined(self.get().getID(), answer.clusterId(), members);
  }
}
