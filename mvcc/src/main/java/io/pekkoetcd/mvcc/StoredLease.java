package io.pekkoetcd.mvcc;

/**
 * A lease as the store keeps it (etcd's {@code leasepb.Lease} in the "lease" bucket): its ID, its
 * granted TTL in seconds and the remaining TTL of its last checkpoint (0 = none). Expiry times are
 * not stored: only the leader tracks them, from the TTLs, in memory.
 */
public record StoredLease(long id, long ttl, long remainingTtl) {

  /** A lease without a checkpoint. */
  public static StoredLease of(long id, long ttl) {
    return new StoredLease(id, ttl, 0);
  }
}
