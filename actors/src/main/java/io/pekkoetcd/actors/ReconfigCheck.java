package io.pekkoetcd.actors;

import io.pekkoetcd.actors.apply.Members;
import io.pekkoetcd.protocol.internal.MemberChange;
import io.pekkoetcd.raft.ProgressView;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * etcd's strict reconfiguration checks ({@code --strict-reconfig-check}, on by default), run by the
 * member that takes a MemberAdd, MemberRemove or MemberPromote before it proposes the change: a
 * change must not leave the cluster without a quorum of started (published) and connected voters,
 * and only a learner whose log is caught up with the leader's may be promoted. Pure: the caller
 * gives the membership, which members are started and active, and the leader's progress.
 *
 * <ul>
 *   <li>add a voter: the started voters must be a quorum of the voters after the add ("not enough
 *       started members"), except that one started member may add a second; every add: this member
 *       must be connected to every voter ("unhealthy cluster");
 *   <li>remove a voter: the started voters left must be a quorum of those left; a member that is
 *       down may always be removed; otherwise the connected voters left must be a quorum
 *       ("unhealthy cluster"); removing a learner is never refused here;
 *   <li>promote: only on the leader ("not leader", etcd forwards it to the leader); the learner's
 *       match index must be at least 90 % of the leader's ("… in sync with leader").
 * </ul>
 */
final class ReconfigCheck {
  private ReconfigCheck() {}

  /** etcd's readyPercent: a learner this close to the leader's match index may be promoted. */
  static final double READY_PERCENT = 0.9;

  static Optional<ServerError> check(
      MemberChange change,
      Members members,
      long self,
      LongPredicate started,
      LongPredicate active,
      Map<Long, ProgressView> leaderProgress) {
    long id = change.getMember().getID();
    Set<Long> voters = members.voters();
    return switch (change.getKind()) {
      case ADD -> {
        long startedVoters = count(voters, started);
        // etcd: one started member may always add a second (restoring a cluster from one member)
        boolean restoring = startedVoters == 1 && voters.size() == 1;
        if (!change.getMember().getIsLearner()
            && !restoring
            && startedVoters < quorum(voters.size() + 1)) {
          yield Optional.of(ServerError.NOT_ENOUGH_STARTED_MEMBERS);
        }
        boolean allConnected = voters.stream().allMatch(v -> v == self || active.test(v));
        yield allConnected ? Optional.empty() : Optional.of(ServerError.UNHEALTHY);
      }
      case REMOVE -> {
        if (!voters.contains(id)) {
          yield Optional.empty(); // a learner, or no member: the apply answers that
        }
        long startedLeft = voters.stream().filter(v -> v != id && started.test(v)).count();
        if (startedLeft < quorum(voters.size() - 1)) {
          yield Optional.of(ServerError.NOT_ENOUGH_STARTED_MEMBERS);
        }
        if (id != self && !active.test(id)) {
          yield Optional.empty(); // a member that is down is not part of the active quorum
        }
        long activeVoters = voters.stream().filter(v -> v == self || active.test(v)).count();
        yield activeVoters - 1 < 1 + (voters.size() - 1) / 2
            ? Optional.of(ServerError.UNHEALTHY)
            : Optional.empty();
      }
      case PROMOTE -> {
        if (leaderProgress.isEmpty()) {
          yield Optional.of(ServerError.NOT_LEADER);
        }
        ProgressView learner = leaderProgress.get(id);
        ProgressView leader = leaderProgress.get(self);
        if (learner != null && leader != null && learner.match() < leader.match() * READY_PERCENT) {
          yield Optional.of(ServerError.LEARNER_NOT_READY);
        }
        if (members.isLearner(id) && count(voters, started) + 1 < quorum(voters.size() + 1)) {
          yield Optional.of(ServerError.NOT_ENOUGH_STARTED_MEMBERS);
        }
        yield Optional.empty();
      }
      case UPDATE, ATTRIBUTES, UNRECOGNIZED -> Optional.empty();
    };
  }

  private static long count(Set<Long> ids, LongPredicate p) {
    return ids.stream().filter(p::test).count();
  }

  private static int quorum(int n) {
    return n / 2 + 1;
  }
}
