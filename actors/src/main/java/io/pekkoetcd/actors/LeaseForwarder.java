package io.pekkoetcd.actors;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  static LeaseActor.Forwarder toPeers(
      ActorSystem<?> system, MemberConfig config, PeerDirectory directory) {
    Map<String, ActorSelection> lessors = new ConcurrentHashMap<>();
    return (leader, f) -> {
      ActorSelection s =
          leader == config.memberId()
              ? null
              : directory
                  .peerUrl(leader)
                  .map(
                      url ->
                          lessors.computeIfAbsent(
                              url,
                              u ->
                                  Adapter.toClassic(system)
                                      .actorSelection(
                                          PeerTransport.peerAddress(u)
                                              + "/user/"
                                              + LeaseActor.NAME)))
                  .orElse(null);
      if (s == null) {
        f.replyTo().tell(LeaseActor.Answer.failed(f.id(), ServerError.NO_LEADER));
      } else {
        s.tell(f, org.apache.pekko.actor.ActorRef.noSender());
      }
    };
  }
}
