package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.actors.CorruptionCheck.Hashed;
import io.pekkoetcd.actors.CorruptionCheck.PeerHash;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.protocol.etcdserverpb.HashKVResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** etcd's rules for the initial and the periodic corruption check (etcdserver/corrupt.go). */
class CorruptionCheckTest {

  static final long SELF = 1;

  static PeerHash answer(long id, int hash, long revision, long compactRevision) {
    return new PeerHash(
        id,
        HashKVResponse.newBuilder()
            .setHeader(ResponseHeader.newBuilder().setMemberId(id).setRevision(revision))
            .setHash(hash)
            .setCompactRevision(compactRevision)
            .build(),
        null);
  }

  @Test
  void initialCheckFailsOnlyOnAHashMismatchAtTheSameCompactRevision() {
    Hashed local = new Hashed(77, 10, 4);
    CorruptionCheck.Initial verdict =
        CorruptionCheck.initial(
            local,
            List.of(
                answer(2, 77, 12, 4), // same hash: fine
                answer(3, 78, 12, 4), // differs at the same compaction: corrupt
                answer(4, 79, 12, 6), // compacted further: cannot compare
                new PeerHash(5, null, MvccError.FUTURE_REV),
                new PeerHash(6, null, MvccError.COMPACTED),
                new PeerHash(7, null, null)));
    assertThat(verdict.mismatched()).containsExactly(3L);
    assertThat(verdict.unchecked())
        .containsExactly(
            "peer 4 has a different compact revision 6",
            "peer 5 is lagging behind revision 10",
            "peer 6 has compacted past revision 10",
            "peer 7 did not answer");
    assertThat(CorruptionCheck.initial(local, List.of(answer(2, 77, 10, 4))).mismatched())
        .isEmpty();
  }

  @Test
  void periodicCheckNamesTheFirstCorruptMember() {
    Hashed before = new Hashed(50, 20, 5);
    Hashed after = new Hashed(51, 21, 5); // a write in between: a new hash at a new revision
    assertThat(CorruptionCheck.periodic(SELF, before, after, List.of(answer(2, 50, 20, 5))))
        .isEmpty();
    assertThat(CorruptionCheck.periodic(SELF, before, after, List.of(new PeerHash(2, null, null))))
        .isEmpty();
    // a hash mismatch at the leader's old compact revision
    assertThat(
            CorruptionCheck.periodic(
                SELF, before, after, List.of(answer(2, 50, 20, 5), answer(3, 49, 20, 5))))
        .isEqualTo(OptionalLong.of(3));
    // another compact revision: not comparable
    assertThat(CorruptionCheck.periodic(SELF, before, after, List.of(answer(2, 49, 20, 4))))
        .isEmpty();
    // a follower ahead of its leader, in revisions or in compaction
    assertThat(CorruptionCheck.periodic(SELF, before, after, List.of(answer(2, 50, 22, 5))))
        .isEqualTo(OptionalLong.of(2));
    assertThat(CorruptionCheck.periodic(SELF, before, after, List.of(answer(2, 50, 20, 6))))
        .isEqualTo(OptionalLong.of(2));
    // the leader's own hash changed while its revision did not: the leader is corrupt
    assertThat(
            CorruptionCheck.periodic(
                SELF, before, new Hashed(52, 20, 5), List.of(answer(2, 50, 20, 5))))
        .isEqualTo(OptionalLong.of(SELF));
  }
}
