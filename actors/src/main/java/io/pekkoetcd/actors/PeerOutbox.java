package io.pekkoetcd.actors;

import io.pekkoetcd.raft.Message;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link RaftNode}'s outgoing Raft messages go: called on the node's own thread with the
 * messages of one Ready, only once they may leave (a follower's after the Ready is durable).
 * Fire-and-forget: a lost message (peer down, partition) is retried by Raft itself.
 *
 * <p>The real one ({@link #remote}) tells each message straight to its peer's {@link RaftNode}
 * ({@code /user/raft}, as {@link RaftNode.FromPeer}) over Artery, from the node's own thread: no
 * hop through a local actor per Ready. Tests capture the messages instead.
 */
@FunctionalInterface
interface PeerOutbox {
  void send(List<Message> messages);

  /**
   * Each message to the Raft node of its {@code to} member as the membership in {@code directory}
   * has it, stamped with this member's {@code clusterId}; messages to a member without a peer URL
   * are dropped (logged at debug, under this class: the node's own {@code getLog()} takes its name
   * from where it is first called).
   */
  static PeerOutbox remote(ActorSystem<?> system, long clusterId, PeerDirectory directory) {
    Logger log = LoggerFactory.getLogger(PeerOutbox.class);
    PeerRefs<RaftNode.Command> nodes = new PeerRefs<>(system, "/user/raft");
    return messages -> {
      for (Message m : messages) {
        Optional<String> url = directory.peerUrl(m.to());
        if (url.isEmpty()) {
          log.debug(
              "no peer address for member {}: dropping {}", Long.toHexString(m.to()), m.type());
          continue;
        }
        nodes.at(url.get()).tell(new RaftNode.FromPeer(clusterId, m));
      }
    };
  }
}
