package io.pekkoetcd.actors;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.OptionalLong;

/**
 * etcd 3.4's auto-compaction decision ({@code --auto-compaction-mode}/{@code -retention}), pure:
 * the caller ticks it every {@link #tickInterval()} with the time and the store's revision, and
 * compacts to what it answers (only on the leader, as etcd pauses the compactor elsewhere).
 *
 * <ul>
 *   <li><b>revision</b> (retention R): every 5 minutes, compact to {@code revision - R} if that is
 *       positive and not the last one compacted to.
 *   <li><b>periodic</b> (period P): sample the revision every P/10 (P capped at 1 h for the
 *       interval); once P has passed since the last compaction (the first time: since start),
 *       compact to the oldest sample, the revision of about one period ago; afterwards compact
 *       every min(P, 1 h).
 * </ul>
 *
 * Not thread-safe; the shell serializes calls.
 */
final class AutoCompaction {
  static final Duration REVISION_INTERVAL = Duration.ofMinutes(5);

  private final Duration period;
  private final long retainedRevisions;
  private final ArrayDeque<Long> samples = new ArrayDeque<>();
  private long lastCompactedTo;
  private long lastSuccessNanos;
  private Duration waitBeforeNext;

  private AutoCompaction(Duration period, long retainedRevisions, long nowNanos) {
    this.period = period;
    this.retainedRevisions = retainedRevisions;
    this.lastSuccessNanos = nowNanos;
    this.waitBeforeNext = period;
  }

  /** The compactor for {@code m}, or null when auto-compaction is off. */
  static AutoCompaction of(MemberConfig.Maintenance m, long nowNanos) {
    if (!m.compactionPeriod().isZero() && !m.compactionPeriod().isNegative()) {
      return new AutoCompaction(m.compactionPeriod(), 0, nowNanos);
    }
    if (m.compactionRevisions() > 0) {
      return new AutoCompaction(Duration.ZERO, m.compactionRevisions(), nowNanos);
    }
    return null;
  }

  private boolean periodic() {
    return !period.isZero();
  }

  private Duration cappedPeriod() {
    return period.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : period;
  }

  Duration tickInterval() {
    return periodic() ? cappedPeriod().dividedBy(10) : REVISION_INTERVAL;
  }

  /**
   * One tick at {@code nowNanos} with the store at {@code revision}: the revision to compact to, if
   * any. {@code leader}: only the leader compacts (others still sample).
   */
  OptionalLong tick(long nowNanos, long revision, boolean leader) {
    if (!periodic()) {
      long target = revision - retainedRevisions;
      if (!leader || target <= 0 || target == lastCompactedTo) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(target);
    }
    samples.addLast(revision);
    long keep = period.toNanos() / tickInterval().toNanos() + 1;
    while (samples.size() > keep) {
      samples.removeFirst();
    }
    if (!leader || nowNanos - lastSuccessNanos < waitBeforeNext.toNanos()) {
      return OptionalLong.empty();
    }
    waitBeforeNext = cappedPeriod();
    long target = samples.peekFirst();
    return target <= 0 || target == lastCompactedTo
        ? OptionalLong.empty()
        : OptionalLong.of(target);
  }

  /** The compaction to {@code revision} succeeded (or was already done) at {@code nowNanos}. */
  void compacted(long revision, long nowNanos) {
    lastCompactedTo = revision;
    lastSuccessNanos = nowNanos;
  }
}
