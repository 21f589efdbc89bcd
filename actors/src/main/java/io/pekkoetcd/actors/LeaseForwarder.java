package io.pekkoetcd.actors;

import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Sends what only the leader's lessor answers to the {@link LeaseActor} of the leader, over Artery:
 * an actor selection on {@code /user/leases} at the leader's peer address (as the peer transport
 * reaches {@code /user/raft/peers}). Fire and forget: the answer goes straight to the asker, whose
 * ask times out if the leader does not answer.
 */
final class LeaseForwarder {
  private LeaseForwarder() {}

  static LeaseActor.Forwarder toPeers(ActorSystem<?> system, MemberConfig config) {
    Map<Long, ActorSelection> lessors = new HashMap<>();
    for (MemberConfig.Peer p : config.initialCluster()) {
      if (p.id() != config.memberId() && !p.peerUrls().isEmpty()) {
        lessors.put(
            p.id(),
            Adapter.toClassic(system)
                .actorSelection(
                    PeerTransport.peerAddress(p.peerUrls().get(0)) + "/user/" + LeaseActor.NAME));
      }
    }
    return (leader, f) -> {
      ActorSelection s = lessors.get(leader);
      if (s == null) {
        f.replyTo().tell(LeaseActor.Answer.failed(f.id(), ServerError.NO_LEADER));
      } else {
        s.tell(f, org.apache.pekko.actor.ActorRef.noSender());
      }
    };
  }
}
