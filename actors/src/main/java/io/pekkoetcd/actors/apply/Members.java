package io.pekkoetcd.actors.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pekkoetcd.protocol.etcdserverpb.Member;
import io.pekkoetcd.protocol.internal.Membership;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster's membership as applied (etcd's {@code membership.RaftCluster} without its I/O):
 * every member by ID with its peer URLs and learner flag, and the IDs removed so far, which can
 * never come back. Immutable; a change makes a new value. Stored in the MVCC store as a {@code
 * pekkoetcd.internal.Membership} blob (see {@link MemberOps}).
 *
 * <p>Names and client URLs are what each member published through Raft (the initial cluster's names
 * come from {@code --initial-cluster}); an added member has none until it starts, which etcdctl
 * shows as "unstarted".
 */
public final class Members {
  private final SortedMap<Long, Member> byId;
  private final Set<Long> removed;

  private Members(SortedMap<Long, Member> byId, Set<Long> removed) {
    this.byId = Collections.unmodifiableSortedMap(byId);
    this.removed = Collections.unmodifiableSet(removed);
  }

  /** The initial cluster's members (all voters). */
  public static Members of(Collection<Member> members) {
    SortedMap<Long, Member> m = new TreeMap<>(Long::compareUnsigned);
    for (Member x : members) {
      m.put(x.getID(), x);
    }
    return new Members(m, new TreeSet<>());
  }

  /** Decodes the stored blob. */
  public static Members decode(byte[] blob) {
    try {
      Membership p = Membership.parseFrom(blob);
      Members m = of(p.getMembersList());
      return new Members(new TreeMap<>(m.byId), new TreeSet<>(p.getRemovedList()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt membership record", e);
    }
  }

  public Membership toProto() {
    return Membership.newBuilder().addAllMembers(byId.values()).addAllRemoved(removed).build();
  }

  public byte[] encode() {
    return toProto().toByteArray();
  }

  /** Every member in ID order (unsigned, as etcdctl sorts). */
  public List<Member> list() {
    return List.copyOf(byId.values());
  }

  public Optional<Member> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  public boolean contains(long id) {
    return byId.containsKey(id);
  }

  public boolean isRemoved(long id) {
    return removed.contains(id);
  }

  public boolean isLearner(long id) {
    Member m = byId.get(id);
    return m != null && m.getIsLearner();
  }

  /** The voters' IDs. */
  public Set<Long> voters() {
    Set<Long> v = new TreeSet<>();
    byId.values().stream().filter(m -> !m.getIsLearner()).forEach(m -> v.add(m.getID()));
    return v;
  }

  public long learnerCount() {
    return byId.values().stream().filter(Member::getIsLearner).count();
  }

  /** The member (other than {@code except}) that has one of {@code peerUrls}, if any. */
  public Optional<Member> withPeerUrl(List<String> peerUrls, long except) {
    return byId.values().stream()
        .filter(m -> m.getID() != except)
        .filter(m -> m.getPeerURLsList().stream().anyMatch(peerUrls::contains))
        .findFirst();
  }

  Members with(Member m) {
    SortedMap<Long, Member> next = new TreeMap<>(byId);
    next.put(m.getID(), m);
    return new Members(next, new TreeSet<>(removed));
  }

  Members without(long id) {
    SortedMap<Long, Member> next = new TreeMap<>(byId);
    next.remove(id);
    Set<Long> gone = new TreeSet<>(removed);
    gone.add(id);
    return new Members(next, gone);
  }

  /** {@code m} without a name and client URLs: an added member publishes those itself. */
  static Member bare(Member m) {
    return Member.newBuilder()
        .setID(m.getID())
        .addAllPeerURLs(m.getPeerURLsList())
        .setIsLearner(m.getIsLearner())
        .build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Members m && m.byId.equals(byId) && m.removed.equals(removed);
  }

  @Override
  public int hashCode() {
    return byId.hashCode() * 31 + removed.hashCode();
  }

  @Override
  public String toString() {
    return byId.values().stream()
            .map(
                m ->
                    Long.toHexString(m.getID())
                        + (m.getIsLearner() ? "(learner)" : "")
                        + m.getPeerURLsList())
            .toList()
        + (removed.isEmpty() ? "" : " removed=" + removed.stream().map(Long::toHexString).toList());
  }
}
