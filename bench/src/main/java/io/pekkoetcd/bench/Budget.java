package io.pekkoetcd.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * What the client loops of one {@link LoadGen} phase share ({@link ClientLoop}, {@link
 * KeepAliveLoop}): the request counter, its bound and the phase's deadline, the pacing, where
 * latencies and errors go, and the latch every loop counts down once when it stops.
 *
 * @param tickets numbers the requests of the phase from 0, over all loops
 * @param total no request numbered {@code total} or above is sent
 * @param deadlineNanos no request is sent (or, paced, due) at or after this {@link
 *     System#nanoTime()}
 * @param timeoutNanos each unary request's deadline; 0 for none
 * @param pacer when each request is due ({@link Pacer#NONE}: at once)
 */
record Budget(
    AtomicLong tickets,
    long total,
    long deadlineNanos,
    long timeoutNanos,
    Pacer pacer,
    Recorder latencies,
    Errors errors,
    CountDownLatch done) {

  /**
   * The next request's number at {@code now}, or -1 when the phase is over for the caller: the
   * deadline has passed, {@code total} requests are taken, or (paced) the request would be due at
   * or after the deadline.
   */
  long ticket(long now) {
    if (now - deadlineNanos >= 0) {
      return -1;
    }
    long n = tickets.getAndIncrement();
    if (n >= total || (pacer.paced() && pacer.dueNanos(n) - deadlineNanos >= 0)) {
      return -1;
    }
    return n;
  }

  /** Records one latency, capped at {@link LoadGen#MAX_LATENCY_NANOS}. */
  void record(long nanos) {
    latencies.recordValue(Math.min(Math.max(0, nanos), LoadGen.MAX_LATENCY_NANOS));
  }
}
