package io.pekkoetcd.actors.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.mvcc.StoredLease;
import java.util.List;
import org.junit.jupiter.api.Test;

/** etcd's lessor timing: primary only, promote restarts TTLs, renew, expiry with retry. */
class LessorTest {
  static final long S = 1_000_000_000L;

  @Test
  void aFollowersLeasesNeverExpireAndItCannotRenew() {
    Lessor l = new Lessor();
    l.granted(1, 5, 0);
    assertThat(l.expired(100 * S, 10)).isEmpty();
    assertThat(l.timeToLive(1, 100 * S)).isEqualTo(new Lessor.TimeToLive(5, 5));
    assertThatThrownBy(() -> l.renew(1, 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void promoteGivesEveryLeaseItsFullTtlPlusTheExtension() {
    Lessor l = new Lessor();
    l.reset(List.of(StoredLease.of(1, 10), StoredLease.of(2, 60)), 0);
    l.promote(100 * S, 1 * S);
    assertThat(l.timeToLive(1, 100 * S).remainingSeconds()).isEqualTo(11);
    assertThat(l.expired(110 * S, 10)).isEmpty();
    assertThat(l.expired(111 * S, 10)).containsExactly(1L);
    l.demote();
    assertThat(l.expired(1000 * S, 10)).isEmpty();
  }

  @Test
  void renewPushesExpiryAndAnswersZeroForMissingOrExpiredLeases() {
    Lessor l = new Lessor();
    l.promote(0, 0);
    l.granted(1, 10, 0);
    assertThat(l.renew(1, 9 * S)).isEqualTo(10);
    assertThat(l.expired(18 * S, 10)).isEmpty();
    assertThat(l.timeToLive(1, 18 * S).remainingSeconds()).isEqualTo(1);
    assertThat(l.expired(19 * S, 10)).containsExactly(1L);
    assertThat(l.renew(1, 19 * S)).isZero(); // expired: its revoke is under way
    assertThat(l.renew(7, 0)).isZero();
    assertThat(l.timeToLive(7, 0)).isNull();
  }

  @Test
  void expiredLeasesAreRateLimitedSoonestFirstAndRetriedAfterThreeSeconds() {
    Lessor l = new Lessor();
    l.promote(0, 0);
    l.granted(3, 3, 0);
    l.granted(1, 1, 0);
    l.granted(2, 2, 0);
    assertThat(l.expired(5 * S, 2)).containsExactly(1L, 2L);
    assertThat(l.expired(5 * S, 2)).containsExactly(3L);
    assertThat(l.expired(6 * S, 10)).isEmpty();
    l.revoked(1);
    assertThat(l.expired(5 * S + Lessor.RETRY_NANOS, 10)).containsExactly(2L, 3L);
    assertThat(l.ids()).containsExactly(2L, 3L);
  }

  @Test
  void checkpointsCarryTheRemainingTtlToTheNextLeader() {
    Lessor l = new Lessor(60 * S); // checkpoint every 60 s
    l.promote(0, 0);
    l.granted(1, 600, 0); // longer than the interval: checkpointed
    l.granted(2, 30, 0); // shorter: never
    assertThat(l.dueCheckpoints(59 * S, 10)).isEmpty();
    assertThat(l.dueCheckpoints(60 * S, 10)).containsExactly(new Lessor.Checkpoint(1, 540));
    assertThat(l.dueCheckpoints(61 * S, 10)).isEmpty();
    l.checkpointed(1, 540, 60 * S); // applied on every member
    l.demote();
    l.promote(100 * S, 2 * S); // a new leader: 540 s left (+2), not 600
    assertThat(l.timeToLive(1, 100 * S).remainingSeconds()).isEqualTo(542);
    assertThat(l.hasCheckpoint(1)).isTrue();
    assertThat(l.renew(1, 100 * S)).isEqualTo(600);
  }

  @Test
  void withoutCheckpointsNothingIsEverDue() {
    Lessor l = new Lessor();
    l.promote(0, 0);
    l.granted(1, 600, 0);
    assertThat(l.dueCheckpoints(1000 * S, 10)).isEmpty();
  }
}
