package io.pekkoetcd.actors.apply;

import io.pekkoetcd.mvcc.MvccError;

/**
 * Tells the apply layer whether a lease exists (the lessor is elsewhere). Called while applying, so
 * it must be pure.
 */
@FunctionalInterface
public interface LeaseLookup {
  /** No lease exists: every Put with a lease fails {@link MvccError#LEASE_NOT_FOUND}. */
  LeaseLookup NONE = id -> false;

  boolean exists(long leaseId);
}
