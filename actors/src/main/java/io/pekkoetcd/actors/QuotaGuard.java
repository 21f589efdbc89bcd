package io.pekkoetcd.actors;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The member's side of etcd's quota check, before a write is proposed: the store's size on disk
 * plus what the write costs must stay under {@code --quota-backend-bytes}. The size is the last one
 * the KV actor reported, refreshed in the background when older than {@link #REFRESH_NANOS} (one
 * question per 100 ms at most, never a wait on the write path). Thread-safe.
 */
final class QuotaGuard {
  static final long REFRESH_NANOS = 100_000_000L;

  private final long quota;
  private final Supplier<CompletionStage<Long>> readSize;
  private final LongSupplier nanoTime;
  private final AtomicLong size = new AtomicLong();
  private final AtomicLong readAt = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicBoolean reading = new AtomicBoolean();

  QuotaGuard(long quota, Supplier<CompletionStage<Long>> readSize, LongSupplier nanoTime) {
    this.quota = quota;
    this.readSize = readSize;
    this.nanoTime = nanoTime;
  }

  /** The store's size just measured (after a defragment): no stale size refuses a write. */
  void sizeIs(long bytes) {
    size.set(bytes);
    readAt.set(nanoTime.getAsLong());
  }

  /** Whether a write of {@code cost} bytes fits (etcd's {@code Available}); 0 always fits. */
  boolean admits(long cost) {
    if (cost == 0 || quota == Long.MAX_VALUE) {
      return true;
    }
    long now = nanoTime.getAsLong();
    if (now - readAt.get() > REFRESH_NANOS && reading.compareAndSet(false, true)) {
      readSize
          .get()
          .whenComplete(
              (s, e) -> {
                if (e == null) {
                  size.set(s);
                  readAt.set(nanoTime.getAsLong());
                }
                reading.set(false);
              });
    }
    return size.get() + cost < quota;
  }
}
