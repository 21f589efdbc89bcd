package io.pekkoetcd.actors.apply;

import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.mvcc.KV;
import io.pekkoetcd.mvcc.TxnWrite;
import io.pekkoetcd.protocol.etcdserverpb.Member;
import io.pekkoetcd.protocol.internal.MemberChange;
import io.pekkoetcd.protocol.internal.Membership;
import java.util.function.Supplier;

/**
 * Applies a committed membership change to the membership the MVCC store keeps (etcd's {@code
 * ValidateConfigurationChange} then {@code AddMember}/{@code RemoveMember}/{@code
 * UpdateRaftAttributes}/{@code PromoteMember}), in the apply batch of its entry, so the store's
 * consistent index and membership always agree and a snapshot of the store carries both.
 *
 * <p>Every member applies the same entries in the same order and refuses the same ones, with etcd's
 * errors: a removed ID is never accepted again ("member not found"), an add of an existing ID
 * ("member ID already exist") or of a peer URL in use ("Peer URLs already exists"), more than
 * {@link #MAX_LEARNERS} learner ("too many learner members in cluster"), a promote of a voter ("can
 * only promote a learner member"). A refused change changes nothing; Raft's configuration may still
 * have taken it (the caller applies it to Raft only if it was accepted here).
 */
public final class MemberOps {
  /** etcd 3.4's maximum number of learners. */
  public static final int MAX_LEARNERS = 1;

  private final Supplier<Members> initial;

  /**
   * @param initial the membership before any change was applied (the initial cluster)
   */
  public MemberOps(Supplier<Members> initial) {
    this.initial = initial;
  }

  /** The membership the store holds now (the initial cluster until a change was applied). */
  public Members current(KV store) {
    byte[] blob = store.membership();
    return blob == null ? initial.get() : Members.decode(blob);
  }

  /** Applies {@code c} in {@code tw}'s batch; the answer is the membership after it. */
  public Membership apply(KV store, TxnWrite tw, MemberChange c) {
    Members now = current(store);
    Members next = change(now, c);
    tw.putMembership(next.encode());
    return next.toProto();
  }

  /** The membership after {@code c}, or a {@link ServerException} with etcd's refusal. */
  public static Members change(Members now, MemberChange c) {
    Member m = c.getMember();
    long id = m.getID();
    if (now.isRemoved(id)) {
      throw refused(ServerError.MEMBER_NOT_FOUND);
    }
    return switch (c.getKind()) {
      case ADD -> {
        if (now.contains(id)) {
          throw refused(ServerError.MEMBER_ID_EXISTS);
        }
        if (now.withPeerUrl(m.getPeerURLsList(), id).isPresent()) {
          throw refused(ServerError.PEER_URL_EXISTS);
        }
        if (m.getIsLearner() && now.learnerCount() >= MAX_LEARNERS) {
          throw refused(ServerError.TOO_MANY_LEARNERS);
        }
        yield now.with(Members.bare(m));
      }
      case REMOVE -> {
        if (!now.contains(id)) {
          throw refused(ServerError.MEMBER_NOT_FOUND);
        }
        yield now.without(id);
      }
      case UPDATE -> {
        Member old = now.get(id).orElseThrow(() -> refused(ServerError.MEMBER_NOT_FOUND));
        if (now.withPeerUrl(m.getPeerURLsList(), id).isPresent()) {
          throw refused(ServerError.PEER_URL_EXISTS);
        }
        yield now.with(old.toBuilder().clearPeerURLs().addAllPeerURLs(m.getPeerURLsList()).build());
      }
      case PROMOTE -> {
        Member old = now.get(id).orElseThrow(() -> refused(ServerError.MEMBER_NOT_FOUND));
        if (!old.getIsLearner()) {
          throw refused(ServerError.MEMBER_NOT_LEARNER);
        }
        yield now.with(old.toBuilder().setIsLearner(false).build());
      }
      case ATTRIBUTES -> {
        Member old = now.get(id).orElseThrow(() -> refused(ServerError.MEMBER_NOT_FOUND));
        yield now.with(
            old.toBuilder()
                .setName(m.getName())
                .clearClientURLs()
                .addAllClientURLs(m.getClientURLsList())
                .build());
      }
      case UNRECOGNIZED -> throw new IllegalStateException("unknown membership change " + c);
    };
  }

  private static ServerException refused(ServerError e) {
    return new ServerException(e);
  }
}
