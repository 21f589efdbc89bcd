package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** etcd 3.4's auto-compaction decisions, on explicit time. */
class AutoCompactionTest {
  private static final long S = 1_000_000_000L;

  @Test
  void offUnlessConfigured() {
    assertThat(AutoCompaction.of(MemberConfig.Maintenance.DEFAULTS, 0)).isNull();
  }

  @Test
  void revisionModeKeepsTheLastRetentionRevisionsEveryFiveMinutes() {
    AutoCompaction c =
        AutoCompaction.of(new MemberConfig.Maintenance(Long.MAX_VALUE, Duration.ZERO, 100), 0);
    assertThat(c.tickInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.tick(300 * S, 50, true)).isEmpty(); // nothing older than 100 revisions
    assertThat(c.tick(600 * S, 1000, false)).isEmpty(); // a follower never compacts
    assertThat(c.tick(600 * S, 1000, true)).isEqualTo(OptionalLong.of(900));
    c.compacted(900, 600 * S);
    assertThat(c.tick(900 * S, 1000, true)).isEmpty(); // no new writes: already there
    assertThat(c.tick(1200 * S, 1500, true)).isEqualTo(OptionalLong.of(1400));
  }

  @Test
  void periodicModeCompactsToTheRevisionOfOnePeriodAgo() {
    // period 10 s: samples every 1 s, 11 kept
    AutoCompaction c =
        AutoCompaction.of(
            new MemberConfig.Maintenance(Long.MAX_VALUE, Duration.ofSeconds(10), 0), 0);
    assertThat(c.tickInterval()).isEqualTo(Duration.ofSeconds(1));
    for (int t = 1; t < 10; t++) {
      assertThat(c.tick(t * S, 100 + t, true)).as("t=%d", t).isEmpty();
    }
    // 10 s after start: compact to the oldest sample (t=1)
    assertThat(c.tick(10 * S, 110, true)).isEqualTo(OptionalLong.of(101));
    c.compacted(101, 10 * S);
    for (int t = 11; t < 20; t++) {
      assertThat(c.tick(t * S, 100 + t, true)).as("t=%d", t).isEmpty();
    }
    // next one a period later, to the revision sampled 10 s before
    assertThat(c.tick(20 * S, 120, true)).isEqualTo(OptionalLong.of(110));
  }

  @Test
  void periodicIntervalIsCappedAtAnHour() {
    AutoCompaction c =
        AutoCompaction.of(new MemberConfig.Maintenance(Long.MAX_VALUE, Duration.ofHours(5), 0), 0);
    assertThat(c.tickInterval()).isEqualTo(Duration.ofMinutes(6));
  }
}
