package io.pekkoetcd.watch;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * etcd's progress-notify interval for one Watch stream ({@code
 * --experimental-watch-progress-notify-interval}): the configured interval, raised to at least 100
 * ms (etcd's minWatchProgressInterval; zero or negative keeps etcd's default of 10 minutes), plus a
 * jitter drawn uniformly from [0, interval / 10), so that streams opened together (a client that
 * restarted) do not all notify at the same instant. The randomness is injected so tests are
 * deterministic.
 */
final class ProgressInterval {
  static final Duration DEFAULT = Duration.ofMinutes(10);
  static final Duration MIN = Duration.ofMillis(100);

  private ProgressInterval() {}

  /** The configured interval as etcd adjusts it: ≤ 0 → 10 min; below 100 ms → 100 ms. */
  static Duration effective(Duration configured) {
    if (configured.isZero() || configured.isNegative()) {
      return DEFAULT;
    }
    return configured.compareTo(MIN) < 0 ? MIN : configured;
  }

  /**
   * One stream's interval: {@link #effective} plus a jitter in [0, effective / 10) nanoseconds from
   * {@code random}.
   */
  static Duration forStream(Duration configured, RandomGenerator random) {
    Duration base = effective(configured);
    return base.plusNanos(random.nextLong(base.toNanos() / 10));
  }
}
