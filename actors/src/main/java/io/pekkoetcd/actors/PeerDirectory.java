package io.pekkoetcd.actors;

import io.pekkoetcd.actors.apply.Members;
import io.pekkoetcd.protocol.etcdserverpb.Member;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What this member knows of the cluster, shared between its actors and the gRPC edge (thread-safe):
 *
 * <ul>
 *   <li>the membership in force ({@link Members}: IDs, peer URLs, learner flags, removed IDs), set
 *       when the store is opened and then by the {@link RaftNode} as it applies each committed
 *       membership change (and by the {@link KvActor} after installing a snapshot); the {@link
 *       PeerTransport} reads each peer's address from it, so peers are learned and forgotten with
 *       the membership;
 *   <li>when each peer was last heard from, for etcd's reconfiguration health checks.
 * </ul>
 */
public final class PeerDirectory {
  private final Map<Long, Long> lastHeard = new ConcurrentHashMap<>();

  /** Peer URLs of removed members, to tell one that still talks to us that it was removed. */
  private final Map<Long, String> removedPeers = new ConcurrentHashMap<>();

  private final LongSupplier nanoTime;
  private volatile Members members = Members.of(List.of());

  public PeerDirectory() {
    this(System::nanoTime);
  }

  public PeerDirectory(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** The membership in force. */
  public Members members() {
    return members;
  }

  /** Replaces the membership (log order: only the Raft node and a snapshot install call this). */
  void setMembers(Members next) {
    Members before = members;
    for (Member m : before.list()) {
      if (!next.contains(m.getID()) && m.getPeerURLsCount() > 0) {
        removedPeers.put(m.getID(), m.getPeerURLs(0));
      }
    }
    members = next;
  }

  /** The first peer URL of member {@code id}, if it is a member. */
  Optional<String> peerUrl(long id) {
    return members.get(id).filter(m -> m.getPeerURLsCount() > 0).map(m -> m.getPeerURLs(0));
  }

  /** The first peer URL a removed member had, if this member saw it removed. */
  Optional<String> removedPeerUrl(long id) {
    return Optional.ofNullable(removedPeers.get(id));
  }

  /** A message from {@code memberId} arrived now. */
  void heard(long memberId) {
    lastHeard.put(memberId, nanoTime.getAsLong());
  }

  /** Whether {@code memberId} was heard from within {@code withinNanos}. */
  boolean active(long memberId, long withinNanos) {
    Long t = lastHeard.get(memberId);
    return t != null && nanoTime.getAsLong() - t <= withinNanos;
  }
}
