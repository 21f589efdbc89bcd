package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.actors.apply.Members;
import io.pekkoetcd.protocol.etcdserverpb.Member;
import io.pekkoetcd.protocol.internal.MemberChange;
import io.pekkoetcd.raft.ProgressState;
import io.pekkoetcd.raft.ProgressView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * etcd's strict reconfiguration checks (server.go mayAddMember, mayRemoveMember, mayPromoteMember).
 */
class ReconfigCheckTest {
  private static final Members THREE =
      Members.of(
          List.of(
              Member.newBuilder().setID(1).addPeerURLs("http://a:1").build(),
              Member.newBuilder().setID(2).addPeerURLs("http://b:2").build(),
              Member.newBuilder().setID(3).addPeerURLs("http://c:3").build()));

  private static MemberChange change(MemberChange.Kind kind, long id, boolean learner) {
    return MemberChange.newBuilder()
        .setKind(kind)
        .setMember(Member.newBuilder().setID(id).setIsLearner(learner))
        .build();
  }

  private static Optional<ServerError> check(
      MemberChange c, Members m, Set<Long> started, Set<Long> active, Map<Long, ProgressView> p) {
    return ReconfigCheck.check(c, m, 1, started::contains, active::contains, p);
  }

  private static ProgressView match(long match) {
    return new ProgressView(match, match + 1, ProgressState.REPLICATE, false, 0);
  }

  @Test
  void addNeedsAStartedQuorumAndEveryVoterConnected() {
    MemberChange add = change(MemberChange.Kind.ADD, 4, false);
    assertThat(check(add, THREE, Set.of(1L, 2L, 3L), Set.of(2L, 3L), Map.of())).isEmpty();
    // with 3 connected of 3 but only 2 started, 4 voters need 3 started
    assertThat(check(add, THREE, Set.of(1L, 2L), Set.of(2L, 3L), Map.of()))
        .contains(ServerError.NOT_ENOUGH_STARTED_MEMBERS);
    assertThat(check(add, THREE, Set.of(1L, 2L, 3L), Set.of(2L), Map.of()))
        .contains(ServerError.UNHEALTHY);
    // a learner is not counted for the quorum, but this member must still reach every voter
    MemberChange learner = change(MemberChange.Kind.ADD, 4, true);
    assertThat(check(learner, THREE, Set.of(1L), Set.of(2L, 3L), Map.of())).isEmpty();
    assertThat(check(learner, THREE, Set.of(1L, 2L, 3L), Set.of(3L), Map.of()))
        .contains(ServerError.UNHEALTHY);
  }

  @Test
  void aDownMemberMayBeRemovedButNotAHealthyOneFromAWeakCluster() {
    MemberChange remove3 = change(MemberChange.Kind.REMOVE, 3, false);
    // seed 003: member 3 was killed; 1 and 2 are started and connected
    assertThat(check(remove3, THREE, Set.of(1L, 2L, 3L), Set.of(2L), Map.of())).isEmpty();
    // removing 2 while 3 is down leaves 1 and the dead 3: not a started quorum
    MemberChange remove2 = change(MemberChange.Kind.REMOVE, 2, false);
    assertThat(check(remove2, THREE, Set.of(1L, 2L), Set.of(2L), Map.of()))
        .contains(ServerError.NOT_ENOUGH_STARTED_MEMBERS);
    // 2 is up but 3 is not connected: removing 2 leaves one active voter of two
    assertThat(check(remove2, THREE, Set.of(1L, 2L, 3L), Set.of(2L), Map.of()))
        .contains(ServerError.UNHEALTHY);
  }

  @Test
  void promoteOnlyOnTheLeaderAndOnlyWhenInSync() {
    Members withLearner =
        Members.decode(
            THREE.toProto().toBuilder()
                .addMembers(
                    Member.newBuilder().setID(4).addPeerURLs("http://d:4").setIsLearner(true))
                .build()
                .toByteArray());
    MemberChange promote = change(MemberChange.Kind.PROMOTE, 4, false);
    Set<Long> all = Set.of(1L, 2L, 3L, 4L);
    assertThat(check(promote, withLearner, all, all, Map.of())).contains(ServerError.NOT_LEADER);
    assertThat(check(promote, withLearner, all, all, Map.of(1L, match(100), 4L, match(89))))
        .contains(ServerError.LEARNER_NOT_READY);
    assertThat(check(promote, withLearner, all, all, Map.of(1L, match(100), 4L, match(90))))
        .isEmpty();
  }
}
