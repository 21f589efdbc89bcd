package io.pekkoetcd.actors;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lease IDs for a LeaseGrant with ID 0, as etcd's request-ID generator ({@code pkg/idutil}): the
 * member ID's low 16 bits, then 40 bits of the start time in milliseconds and an 8-bit counter that
 * carries into the time; then made positive (etcd: {@code & (1<<63 − 1)}). Unique across members
 * (different prefixes) and across restarts of one member (the time moves on faster than a member
 * grants); never 0. Thread-safe.
 */
final class LeaseIds {
  private static final int SUFFIX_BITS = 48;
  private static final long SUFFIX_MASK = (1L << SUFFIX_BITS) - 1;

  private final long prefix;
  private final AtomicLong suffix;

  LeaseIds(long memberId, long nowMillis) {
    this.prefix = (memberId & 0xffff) << SUFFIX_BITS;
    this.suffix = new AtomicLong(((nowMillis & ((1L << 40) - 1)) << 8));
  }

  long next() {
    long id;
    do {
      id = (prefix | (suffix.incrementAndGet() & SUFFIX_MASK)) & Long.MAX_VALUE;
    } while (id == 0);
    return id;
  }
}
