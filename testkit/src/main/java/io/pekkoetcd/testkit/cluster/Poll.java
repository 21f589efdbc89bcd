package io.pekkoetcd.testkit.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Polling with a deadline: the one way these harnesses wait for a cluster to reach a state. */
public final class Poll {
  private Poll() {}

  /** A condition that may run processes. */
  @FunctionalInterface
  public interface Check {
    boolean holds() throws Exception;
  }

  /** Polls {@code condition} until it holds, or fails with {@code what} at the deadline. */
  public static void until(Duration timeout, String what, Check condition) throws Exception {
    until(timeout, () -> what, condition);
  }

  /**
   * As {@link #until(Duration, String, Check)}; {@code what} is asked at the deadline (e.g. for the
   * last seen).
   */
  public static void until(Duration timeout, Supplier<String> what, Check condition)
      throws Exception {
    // polling interval; each check of these harnesses already waits for an etcdctl run
    until(timeout, Duration.ofMillis(50), what, condition);
  }

  /**
   * As {@link #until(Duration, Supplier, Check)}, checking every {@code interval} (a short one for
   * in-process checks that cost nothing).
   */
  public static void until(
      Duration timeout, Duration interval, Supplier<String> what, Check condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what.get());
      }
      TimeUnit.NANOSECONDS.sleep(interval.toNanos());
    }
  }
}
