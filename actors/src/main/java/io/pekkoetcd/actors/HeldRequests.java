package io.pekkoetcd.actors;

import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.protocol.internal.MemberChange;
import io.pekkoetcd.raft.ConfChange;
import io.pekkoetcd.raft.ConfChangeType;
import io.pekkoetcd.raft.DropReason;
import io.pekkoetcd.raft.ProposalDropped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.pattern.StatusReply;

/**
 * Proposals and read-index requests waiting for a leader, as etcd's requests wait for one: a
 * candidate holds what it is given, a follower what Raft drops because it knows no leader. Bounded
 * by {@code maxPendingProposals} (beyond it: "etcdserver: no leader"); retried, in arrival order,
 * as soon as a leader is known; what is still held after the request timeout fails with
 * "etcdserver: request timed out".
 */
final class HeldRequests {

  private record Held(RaftNode.Command request, long deadline) {}

  private final RaftContext rc;
  private final ArrayDeque<Held> held = new ArrayDeque<>();

  HeldRequests(RaftContext rc) {
    this.rc = rc;
  }

  int size() {
    return held.size();
  }

  /** Hold a {@link RaftNode.Propose} or {@link RaftNode.ReadIndex} until a leader is known. */
  void hold(RaftNode.Command request, long deadline) {
    if (held.size() < rc.config.maxPendingProposals()) {
      held.add(new Held(request, deadline));
    } else {
      refuse(request, new ServerException(ServerError.NO_LEADER));
    }
  }

  /**
   * Hand a proposal to Raft (a follower's goes to the leader as MsgProp, a leader's into its log);
   * held if Raft knows no leader, refused with etcd's error for any other drop.
   */
  void propose(RaftNode.Propose p, long deadline) {
    try {
      Optional<ConfChange> cc = confChange(p.request());
      if (cc.isPresent()) {
        rc.node.proposeConfChange(cc.get());
      } else {
        rc.node.propose(p.request().toByteArray());
      }
      rc.loop.proposalTaken();
    } catch (ProposalDropped dropped) {
      if (dropped.reason() == DropReason.NO_LEADER) {
        hold(p, deadline);
      } else if (dropped.reason() == DropReason.CONF_CHANGE_PENDING) {
        // one membership change at a time: this one waits for the previous to be applied
        hold(p, deadline);
        waitingConfChange = true;
      } else {
        refuse(p, new ServerException(errorFor(dropped.reason())));
      }
    }
  }

  /**
   * Membership changes go through Raft as configuration changes (one at a time), with the request
   * as the change's context; a MemberUpdate (peer URLs only) too, as etcd's ConfChangeUpdateNode.
   */
  static Optional<ConfChange> confChange(InternalRaftRequest request) {
    if (!request.hasMemberChange()) {
      return Optional.empty();
    }
    MemberChange c = request.getMemberChange();
    long id = c.getMember().getID();
    ConfChangeType type =
        switch (c.getKind()) {
          case ADD ->
              c.getMember().getIsLearner() ? ConfChangeType.ADD_LEARNER : ConfChangeType.ADD_VOTER;
          // an update changes no role: the node that applies it keeps Raft's configuration as the
          // membership says (ReadyLoop), whatever the type
          case PROMOTE, UPDATE, ATTRIBUTES -> ConfChangeType.ADD_VOTER;
          case REMOVE -> ConfChangeType.REMOVE_MEMBER;
          case UNRECOGNIZED -> null;
        };
    return type == null
        ? Optional.empty()
        : Optional.of(new ConfChange(type, id, request.toByteArray()));
  }

  /** Whether a membership change waits for the previous one. */
  private boolean waitingConfChange;

  /** Each tick: a membership change that waited for the previous one is tried again. */
  void retryConfChanges() {
    if (waitingConfChange) {
      waitingConfChange = false;
      retry();
    }
  }

  /** A leader is known: hand everything held to Raft again (it may be held again). */
  void retry() {
    List<Held> retry = new ArrayList<>(held);
    held.clear();
    for (Held h : retry) {
      if (h.request() instanceof RaftNode.Propose p) {
        propose(p, h.deadline());
      } else if (h.request() instanceof RaftNode.ReadIndex r) {
        rc.reads.read(r, h.deadline());
      }
    }
  }

  /** Give up what waited longer than the request timeout. */
  void expire() {
    for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (h.deadline() <= rc.ticks) {
        it.remove();
        refuse(h.request(), new ServerException(ServerError.REQUEST_TIMED_OUT));
      }
    }
  }

  private void refuse(RaftNode.Command request, ServerException error) {
    if (request instanceof RaftNode.Propose p) {
      rc.pending.fail(p.request().getId(), error);
    } else if (request instanceof RaftNode.ReadIndex r) {
      r.replyTo().tell(StatusReply.error(error));
    }
  }

  static ServerError errorFor(DropReason reason) {
    return switch (reason) {
      case NO_LEADER, NOT_A_MEMBER -> ServerError.NO_LEADER;
      case TRANSFERRING -> ServerError.PROPOSAL_DROPPED;
      case CONF_CHANGE_PENDING -> ServerError.REQUEST_TIMED_OUT;
    };
  }
}
