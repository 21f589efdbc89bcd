package io.pekkoetcd.actors.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.protocol.etcdserverpb.Member;
import io.pekkoetcd.protocol.internal.MemberChange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** etcd's ValidateConfigurationChange and membership updates, one rule per test. */
class MemberOpsTest {
  private static final Members THREE =
      Members.of(
          List.of(member(1, "http://a:1"), member(2, "http://b:2"), member(3, "http://c:3")));

  static Member member(long id, String url) {
    return Member.newBuilder().setID(id).addPeerURLs(url).build();
  }

  static MemberChange change(MemberChange.Kind kind, Member m) {
    return MemberChange.newBuilder().setKind(kind).setMember(m).build();
  }

  static ServerError refusal(Members m, MemberChange c) {
    try {
      MemberOps.change(m, c);
    } catch (ServerException e) {
      return e.error();
    }
    throw new AssertionError("accepted " + c);
  }

  @Test
  void addsAVoterAndALearner() {
    Members four = MemberOps.change(THREE, change(MemberChange.Kind.ADD, member(4, "http://d:4")));
    assertThat(four.voters()).containsExactly(1L, 2L, 3L, 4L);
    Members learner =
        MemberOps.change(
            THREE,
            change(
                MemberChange.Kind.ADD,
                member(5, "http://e:5").toBuilder().setIsLearner(true).build()));
    assertThat(learner.isLearner(5)).isTrue();
    assertThat(learner.voters()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void refusesAnExistingIdAndAPeerUrlInUse() {
    assertThat(refusal(THREE, change(MemberChange.Kind.ADD, member(2, "http://x:9"))))
        .isEqualTo(ServerError.MEMBER_ID_EXISTS);
    assertThat(refusal(THREE, change(MemberChange.Kind.ADD, member(9, "http://b:2"))))
        .isEqualTo(ServerError.PEER_URL_EXISTS);
    assertThat(refusal(THREE, change(MemberChange.Kind.UPDATE, member(1, "http://c:3"))))
        .isEqualTo(ServerError.PEER_URL_EXISTS);
  }

  @Test
  void allowsOneLearnerAsEtcd34() {
    Member l1 = member(5, "http://e:5").toBuilder().setIsLearner(true).build();
    Member l2 = member(6, "http://f:6").toBuilder().setIsLearner(true).build();
    Members one = MemberOps.change(THREE, change(MemberChange.Kind.ADD, l1));
    assertThat(refusal(one, change(MemberChange.Kind.ADD, l2)))
        .isEqualTo(ServerError.TOO_MANY_LEARNERS);
  }

  @Test
  void removedIdsNeverComeBack() {
    Members two = MemberOps.change(THREE, change(MemberChange.Kind.REMOVE, member(3, "")));
    assertThat(two.contains(3)).isFalse();
    assertThat(two.isRemoved(3)).isTrue();
    assertThat(refusal(two, change(MemberChange.Kind.ADD, member(3, "http://c:3"))))
        .isEqualTo(ServerError.MEMBER_NOT_FOUND);
    assertThat(refusal(two, change(MemberChange.Kind.REMOVE, member(3, ""))))
        .isEqualTo(ServerError.MEMBER_NOT_FOUND);
    // its peer URL is free again, under a new ID
    assertThat(
            MemberOps.change(two, change(MemberChange.Kind.ADD, member(7, "http://c:3"))).voters())
        .contains(7L);
  }

  @Test
  void promotesOnlyALearner() {
    assertThat(refusal(THREE, change(MemberChange.Kind.PROMOTE, member(1, ""))))
        .isEqualTo(ServerError.MEMBER_NOT_LEARNER);
    assertThat(refusal(THREE, change(MemberChange.Kind.PROMOTE, member(8, ""))))
        .isEqualTo(ServerError.MEMBER_NOT_FOUND);
    Members withLearner =
        MemberOps.change(
            THREE,
            change(
                MemberChange.Kind.ADD,
                member(5, "http://e:5").toBuilder().setIsLearner(true).build()));
    Members promoted =
        MemberOps.change(withLearner, change(MemberChange.Kind.PROMOTE, member(5, "")));
    assertThat(promoted.voters()).contains(5L);
    assertThat(promoted.learnerCount()).isZero();
  }

  @Test
  void updatesPeerUrlsOnly() {
    Members updated =
        MemberOps.change(THREE, change(MemberChange.Kind.UPDATE, member(2, "http://b2:22")));
    assertThat(updated.get(2).orElseThrow().getPeerURLsList()).containsExactly("http://b2:22");
    assertThat(refusal(THREE, change(MemberChange.Kind.UPDATE, member(9, "http://z:1"))))
        .isEqualTo(ServerError.MEMBER_NOT_FOUND);
  }

  @Test
  void aMemberPublishesItsNameAndClientUrls() {
    Member published =
        Member.newBuilder().setID(2).setName("m2").addClientURLs("http://b:12").build();
    Members after = MemberOps.change(THREE, change(MemberChange.Kind.ATTRIBUTES, published));
    Member m2 = after.get(2).orElseThrow();
    assertThat(m2.getName()).isEqualTo("m2");
    assertThat(m2.getClientURLsList()).containsExactly("http://b:12");
    assertThat(m2.getPeerURLsList()).containsExactly("http://b:2");
    assertThat(
            refusal(
                THREE,
                change(MemberChange.Kind.ATTRIBUTES, published.toBuilder().setID(9).build())))
        .isEqualTo(ServerError.MEMBER_NOT_FOUND);
    // an added member starts without a name, whatever the request carried
    Member named = member(4, "http://d:4").toBuilder().setName("sneaky").build();
    assertThat(
            MemberOps.change(THREE, change(MemberChange.Kind.ADD, named))
                .get(4)
                .orElseThrow()
                .getName())
        .isEmpty();
  }

  @Test
  void roundTripsThroughTheStoredBlob() {
    Members two = MemberOps.change(THREE, change(MemberChange.Kind.REMOVE, member(3, "")));
    assertThat(Members.decode(two.encode())).isEqualTo(two);
    assertThatThrownBy(() -> Members.decode(new byte[] {(byte) 0xff}))
        .isInstanceOf(IllegalStateException.class);
  }
}
