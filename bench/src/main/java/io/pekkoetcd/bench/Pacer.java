package io.pekkoetcd.bench;

import java.util.concurrent.ScheduledExecutorService;

/**
 * An offered rate ({@code --put-rate}): request {@code n} of a phase (n counts from 0 over all
 * clients) is due at {@code startNanos + n / perSecond} seconds, whatever happened to the others,
 * so that a run offers exactly {@code perSecond} requests a second for as long as its clients keep
 * up, and a client that falls behind sends its late requests at once until it has caught up. A
 * client whose request is not yet due has it sent by {@code timer} at its time. {@link #NONE} paces
 * nothing: every request is due at once.
 *
 * @param startNanos {@link System#nanoTime()} at which request 0 is due
 * @param perSecond requests a second over all clients; 0 for no pacing
 * @param timer sends requests that were not yet due when taken; {@code null} without pacing
 */
record Pacer(long startNanos, double perSecond, ScheduledExecutorService timer) {
  static final Pacer NONE = new Pacer(0, 0, null);

  boolean paced() {
    return perSecond > 0;
  }

  /** When request {@code n} is due ({@link System#nanoTime()} time); only when paced. */
  long dueNanos(long n) {
    return startNanos + Math.round(n * (1e9 / perSecond));
  }

  /** How long request {@code n} must wait at {@code now}: 0 when due (always, without pacing). */
  long waitNanos(long n, long now) {
    return paced() ? Math.max(0, dueNanos(n) - now) : 0;
  }
}
