package io.pekkoetcd.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * etcd's progress-notify interval: minimum, default and jitter (v3rpc GetProgressReportInterval).
 */
class ProgressIntervalTest {

  /** A random source that always answers {@code fraction} of the bound it is asked for. */
  static RandomGenerator fixed(double fraction) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public long nextLong(long bound) {
        return (long) (bound * fraction);
      }
    };
  }

  @Test
  void jitterAddsUpToATenthOfTheInterval() {
    Duration tenMinutes = Duration.ofMinutes(10);
    assertThat(ProgressInterval.forStream(tenMinutes, fixed(0))).isEqualTo(tenMinutes);
    assertThat(ProgressInterval.forStream(tenMinutes, fixed(0.5)))
        .isEqualTo(tenMinutes.plusSeconds(30));
    assertThat(ProgressInterval.forStream(Duration.ofSeconds(1), fixed(0.999999)))
        .isEqualTo(Duration.ofSeconds(1).plusNanos(99_999_900));
  }

  @Test
  void belowTheMinimumIsRaisedTo100MillisecondsAndZeroKeepsTheDefault() {
    assertThat(ProgressInterval.effective(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(100));
    assertThat(ProgressInterval.effective(Duration.ofMillis(100)))
        .isEqualTo(Duration.ofMillis(100));
    assertThat(ProgressInterval.effective(Duration.ZERO)).isEqualTo(Duration.ofMinutes(10));
    assertThat(ProgressInterval.effective(Duration.ofSeconds(-1)))
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(ProgressInterval.forStream(Duration.ofMillis(1), fixed(0.5)))
        .isEqualTo(Duration.ofMillis(105));
  }

  @Test
  void aSeededSourceStaysInRangeAndReplays() {
    Duration base = Duration.ofMillis(300);
    SplittableRandom a = new SplittableRandom(42);
    SplittableRandom b = new SplittableRandom(42);
    boolean varied = false;
    Duration first = ProgressInterval.forStream(base, a);
    assertThat(ProgressInterval.forStream(base, b)).isEqualTo(first);
    for (int i = 0; i < 1000; i++) {
      Duration d = ProgressInterval.forStream(base, a);
      assertThat(d).isBetween(base, base.plusMillis(30).minusNanos(1));
      assertThat(ProgressInterval.forStream(base, b)).isEqualTo(d);
      varied |= !d.equals(first);
    }
    assertThat(varied).as("the jitter varies between streams").isTrue();
  }
}
