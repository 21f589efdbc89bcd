package io.pekkoetcd.testkit.wire;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;

/**
 * Retries a gRPC call that failed with UNAVAILABLE, as etcd's clients do: e.g. "etcdserver: leader
 * changed" when a linearizable read's leader was deposed, or "etcdserver: no leader" during an
 * election. Short exponential backoff (20 ms doubling to 500 ms) until a deadline; any other error,
 * or UNAVAILABLE when the next attempt would start past the deadline, is thrown.
 */
public final class RetryUnavailable {
  private static final long FIRST_BACKOFF_MS = 20;
  private static final long MAX_BACKOFF_MS = 500;

  private RetryUnavailable() {}

  /** One attempt: its number (0, 1, …, e.g. to pick another member) and the nanoseconds left. */
  @FunctionalInterface
  public interface Attempt<T> {
    T call(int attempt, long nanosLeft);
  }

  /** Runs {@code attempt} until it returns, retrying UNAVAILABLE until {@code deadlineNanos}. */
  public static <T> T until(long deadlineNanos, Attempt<T> attempt) throws InterruptedException {
    long backoffMs = FIRST_BACKOFF_MS;
    for (int n = 0; ; n++) {
      try {
        return attempt.call(n, Math.max(1, deadlineNanos - System.nanoTime()));
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE
            || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadlineNanos) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }
}
