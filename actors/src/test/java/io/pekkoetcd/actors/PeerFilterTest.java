package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerFilterTest {
  private static final long CLUSTER = 0xcdf818194e3a8c32L;
  private static final long OTHER_CLUSTER = 0x1c9d4bbac4b8fa8eL;
  private final PeerFilter filter = new PeerFilter(CLUSTER, Set.of(1L, 2L, 3L));

  @Test
  void acceptsOnlyMembersOfThisCluster() {
    assertThat(filter.check(CLUSTER, 2L)).isEqualTo(PeerFilter.Verdict.ACCEPT);
    assertThat(filter.check(OTHER_CLUSTER, 2L)).isEqualTo(PeerFilter.Verdict.CLUSTER_MISMATCH);
    assertThat(filter.check(0L, 2L)).isEqualTo(PeerFilter.Verdict.CLUSTER_MISMATCH);
    assertThat(filter.check(CLUSTER, 4L)).isEqualTo(PeerFilter.Verdict.UNKNOWN_MEMBER);
  }

  @Test
  void reportsEachRejectedSenderOnceAndRemembersABoundedNumber() {
    assertThat(filter.firstReport(PeerFilter.Verdict.CLUSTER_MISMATCH, OTHER_CLUSTER, 2L)).isTrue();
    assertThat(filter.firstReport(PeerFilter.Verdict.CLUSTER_MISMATCH, OTHER_CLUSTER, 2L))
        .isFalse();
    assertThat(filter.firstReport(PeerFilter.Verdict.UNKNOWN_MEMBER, CLUSTER, 9L)).isTrue();
    for (long sender = 100; sender < 100 + 2 * PeerFilter.MAX_REPORTED; sender++) {
      filter.firstReport(PeerFilter.Verdict.UNKNOWN_MEMBER, CLUSTER, sender);
    }
    assertThat(filter.firstReport(PeerFilter.Verdict.UNKNOWN_MEMBER, CLUSTER, 7_000L)).isFalse();
  }
}
