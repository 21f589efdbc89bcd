package io.pekkoetcd.actors;

import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * References to the actor at one path (e.g. {@code /user/raft}) on every peer, by the peer's first
 * peer URL (a member's address changes only with a MemberUpdate, which gives it a new entry).
 *
 * <p>Resolved from the path, without an actor UID: Artery delivers such a reference to whatever
 * actor lives at that path on the peer, so it stays valid across the peer's restarts. Unlike an
 * actor selection, a message to it travels with its recipient in Artery's (compressed) envelope
 * header: no selection envelope serialized around the message and no path walk on the receiving
 * member. Owned by one actor (not thread-safe); the cache grows only with the peer URLs this member
 * has sent to.
 */
final class PeerRefs<T> {
  private final ActorRefResolver resolver;
  private final String path;
  private final Map<String, ActorRef<T>> byPeerUrl = new HashMap<>();

  PeerRefs(ActorSystem<?> system, String path) {
    this.resolver = ActorRefResolver.get(system);
    this.path = path;
  }

  /** The actor at this path on the member whose first peer URL is {@code peerUrl}. */
  ActorRef<T> at(String peerUrl) {
    return byPeerUrl.computeIfAbsent(
        peerUrl, u -> resolver.resolveActorRef(PeerTransport.peerAddress(u) + path));
  }
}
