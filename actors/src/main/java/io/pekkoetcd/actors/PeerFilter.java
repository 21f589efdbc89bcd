package io.pekkoetcd.actors;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Decides whether a message that arrived on the peer port may reach Raft: only from a member of
 * this cluster, as etcd's peer handlers check the {@code X-Etcd-Cluster-ID} header ("request
 * cluster ID mismatch") and drop messages from unknown or removed members. Without it a member
 * whose peer port was reused by another cluster's old {@code --initial-cluster} (same Artery system
 * name, same host and port) would step that cluster's votes and appends: a term bump at best, a
 * foreign leader at worst.
 *
 * <p>Pure and single-threaded (owned by the {@link PeerTransport}). It also says when a drop is
 * worth a log line: the first time for each sender, remembering at most {@link #MAX_REPORTED}
 * senders, so a misconfigured neighbour cannot flood the log or grow memory without bound.
 */
final class PeerFilter {
  /** How many distinct rejected senders are remembered for log de-duplication. */
  static final int MAX_REPORTED = 64;

  /** Why a message was accepted or dropped. */
  enum Verdict {
    ACCEPT,
    /** Sent by a member of another cluster. */
    CLUSTER_MISMATCH,
    /** Right cluster, but the sender is not one of its members as this member knows them. */
    UNKNOWN_MEMBER,
    /** Right cluster, but the sender was removed from it (etcd answers such a peer "410 Gone"). */
    REMOVED
  }

  private final long clusterId;
  private final LongPredicate isMember;
  private final LongPredicate isRemoved;
  private final Set<String> reported = new HashSet<>();

  /**
   * @param clusterId this member's cluster ID
   * @param members the IDs of every member of the cluster, this one included
   */
  PeerFilter(long clusterId, Set<Long> members) {
    this(clusterId, Set.copyOf(members)::contains, id -> false);
  }

  /**
   * @param isMember whether an ID is a member now (the membership changes at run time)
   * @param isRemoved whether an ID was removed from the cluster
   */
  PeerFilter(long clusterId, LongPredicate isMember, LongPredicate isRemoved) {
    this.clusterId = clusterId;
    this.isMember = isMember;
    this.isRemoved = isRemoved;
  }

  /**
   * The filter of cluster {@code clusterId} whose membership is {@code directory}'s, as applied.
   */
  static PeerFilter of(long clusterId, PeerDirectory directory) {
    return new PeerFilter(
        clusterId, id -> directory.members().contains(id), id -> directory.members().isRemoved(id));
  }

  Verdict check(long senderClusterId, long senderId) {
    if (senderClusterId != clusterId) {
      return Verdict.CLUSTER_MISMATCH;
    }
    if (isMember.test(senderId)) {
      return Verdict.ACCEPT;
    }
    return isRemoved.test(senderId) ? Verdict.REMOVED : Verdict.UNKNOWN_MEMBER;
  }

  /**
   * True the first time a given (verdict, cluster, sender) is dropped, while fewer than
   * MAX_REPORTED are known.
   */
  boolean firstReport(Verdict verdict, long senderClusterId, long senderId) {
    if (reported.size() >= MAX_REPORTED) {
      return false;
    }
    return reported.add(
        verdict + "/" + Long.toHexString(senderClusterId) + "/" + Long.toHexString(senderId));
  }
}
