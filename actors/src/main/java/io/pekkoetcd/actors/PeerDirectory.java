package io.pekkoetcd.actors;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this member has learned about its peers' names and client URLs (from {@link PeerTransport}'s
 * gossip), for MemberList. Thread-safe: written by the transport actor, read by the gRPC edge.
 */
public final class PeerDirectory {
  /** A member's self-description. */
  public record Attributes(String name, List<String> clientUrls) {}

  private final Map<Long, Attributes> known = new ConcurrentHashMap<>();

  void learn(long memberId, Attributes attributes) {
    known.put(memberId, attributes);
  }

  /**
   * The attributes {@code memberId} last told us, or null when it has not (yet) been heard from.
   */
  public Attributes attributes(long memberId) {
    return known.get(memberId);
  }
}
