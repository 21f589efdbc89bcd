package io.pekkoetcd.actors.apply;

import com.google.protobuf.ByteString;
import io.pekkoetcd.mvcc.KV;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.mvcc.StoredLease;
import io.pekkoetcd.mvcc.TxnWrite;
import io.pekkoetcd.protocol.etcdserverpb.LeaseCheckpoint;
import io.pekkoetcd.protocol.etcdserverpb.LeaseCheckpointRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseCheckpointResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd's lessor as applied on every member ({@code lessor.Grant} / {@code lessor.Revoke} called
 * from the applier): which leases exist, in the store's lease bucket, in the entry's write txn.
 * Expiry is not here: only the leader tracks it, and proposes a revoke when a lease expires. Every
 * check comes before the first change.
 */
public final class LeaseOps {

  /** etcd's {@code MaxLeaseTTL}: 9,000,000,000 s. */
  public static final long MAX_LEASE_TTL = 9_000_000_000L;

  private final long minTtl;

  /**
   * @param minTtl etcd's minimum lease TTL in seconds, {@link #minTtl(long, int)}: a shorter TTL is
   *     raised to it
   */
  public LeaseOps(long minTtl) {
    this.minTtl = minTtl;
  }

  /**
   * etcd's {@code minTTL}: {@code (3 × election ticks / 2)} heartbeats (integer division), rounded
   * up to whole seconds; 2 s with the defaults (100 ms, 10 ticks).
   */
  public static long minTtl(long heartbeatMillis, int electionTicks) {
    long millis = (3L * electionTicks / 2) * heartbeatMillis;
    return (millis + 999) / 1000;
  }

  /**
   * Grants a lease: ID 0 is refused as not found (the proposer assigns one before proposing), a TTL
   * above {@link #MAX_LEASE_TTL} is too large, an existing ID already exists; a TTL below the
   * minimum is raised to it. The answer carries the effective TTL.
   */
  public LeaseGrantResponse grant(KV store, TxnWrite tw, LeaseGrantRequest r) throws MvccException {
    if (r.getID() == 0) {
      throw new MvccException(MvccError.LEASE_NOT_FOUND);
    }
    if (r.getTTL() > MAX_LEASE_TTL) {
      throw new MvccException(MvccError.LEASE_TTL_TOO_LARGE);
    }
    if (store.lease(r.getID()) != null) {
      throw new MvccException(MvccError.LEASE_EXISTS);
    }
    long ttl = Math.max(r.getTTL(), minTtl);
    tw.putLease(StoredLease.of(r.getID(), ttl));
    return LeaseGrantResponse.newBuilder()
        .setHeader(Ranges.header(tw.rev()))
        .setID(r.getID())
        .setTTL(ttl)
        .build();
  }

  /**
   * Checkpoints remaining TTLs (etcd's {@code lessor.Checkpoint}): stored with each lease that
   * still exists (persisted, as etcd 3.6 does); a lease gone meanwhile is skipped. Changes no key.
   */
  public LeaseCheckpointResponse checkpoint(KV store, TxnWrite tw, LeaseCheckpointRequest r) {
    for (LeaseCheckpoint c : r.getCheckpointsList()) {
      StoredLease l = store.lease(c.getID());
      if (l != null) {
        tw.putLease(new StoredLease(l.id(), l.ttl(), c.getRemainingTTL()));
      }
    }
    return LeaseCheckpointResponse.newBuilder().setHeader(Ranges.header(tw.rev())).build();
  }

  /**
   * Revokes a lease: deletes every key attached to it in this txn (one revision, keys in sorted
   * order, as etcd) and removes the lease. Unknown ID: not found, nothing changes.
   */
  public LeaseRevokeResponse revoke(KV store, TxnWrite tw, LeaseRevokeRequest r)
      throws MvccException {
    if (store.lease(r.getID()) == null) {
      throw new MvccException(MvccError.LEASE_NOT_FOUND);
    }
    List<ByteString> keys = new ArrayList<>(store.keysWithLease(r.getID()));
    keys.sort(ByteString.unsignedLexicographicalComparator());
    for (ByteString k : keys) {
      tw.deleteRange(k, ByteString.EMPTY, false);
    }
    tw.deleteLease(r.getID());
    return LeaseRevokeResponse.newBuilder().setHeader(Ranges.header(tw.rev())).build();
  }
}
