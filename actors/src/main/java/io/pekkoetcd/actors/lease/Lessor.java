package io.pekkoetcd.actors.lease;

import io.pekkoetcd.mvcc.StoredLease;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's lessor, the part about time ({@code server/lease/lessor.go}): which leases exist (as
 * applied) and, on the leader (the "primary" lessor), when each expires. Pure: time is a parameter
 * (nanoseconds of a monotonic clock), nothing here reads a clock; one owner (the {@code
 * LeaseActor}).
 *
 * <p>A follower's leases never expire ({@code forever}); {@link #promote} makes this the primary
 * and gives every lease its full TTL again plus an extension (etcd: the election timeout), so no
 * lease expires early because of a leader change; {@link #demote} makes them eternal again. Expired
 * leases are found in expiry order, at most {@code limit} per call, and each is not reported again
 * for {@link #RETRY_NANOS} (etcd's {@code expiredLeaseRetryInterval}), while its revoke goes
 * through Raft.
 */
public final class Lessor {

  /** etcd's {@code expiredLeaseRetryInterval}: 3 s. */
  public static final long RETRY_NANOS = 3_000_000_000L;

  private static final long FOREVER = Long.MAX_VALUE;

  /** A lease: granted TTL in seconds, expiry on the primary (FOREVER elsewhere). */
  private static final class Lease {
    final long id;
    final long ttl;
    long expiry = FOREVER;

    /** The remaining TTL of the last checkpoint applied, seconds; 0 = none. */
    long remainingTtl;

    /** On the primary with checkpoints on: when to checkpoint this lease next (0 = never). */
    long nextCheckpoint;

    /** Not reported as expired again before this (its revoke is on its way through Raft). */
    long retryAt;

    Lease(long id, long ttl) {
      this.id = id;
      this.ttl = ttl;
    }
  }

  private final Map<Long, Lease> leases = new HashMap<>();
  private boolean primary;

  /**
   * etcd's {@code checkpointInterval} in nanoseconds, 0 = checkpoints off ({@code
   * --experimental-enable-lease-checkpoint}): the primary checkpoints the remaining TTL of every
   * lease longer than it, once per interval, so a new leader restarts from that instead of the full
   * TTL.
   */
  private final long checkpointNanos;

  /** Checkpoints off. */
  public Lessor() {
    this(0);
  }

  public Lessor(long checkpointNanos) {
    this.checkpointNanos = checkpointNanos;
  }

  /** Is this the leader's lessor (tracking expiry)? */
  public boolean isPrimary() {
    return primary;
  }

  /** Replaces every lease by {@code applied} (a restart or an installed snapshot). */
  public void reset(Collection<StoredLease> applied, long now) {
    leases.clear();
    for (StoredLease l : applied) {
      granted(l.id(), l.ttl(), now);
      leases.get(l.id()).remainingTtl = l.remainingTtl();
    }
    if (primary) {
      promote(now, 0);
    }
  }

  /** A grant was applied: on the primary it expires a TTL from now. */
  public void granted(long id, long ttl, long now) {
    Lease l = new Lease(id, ttl);
    if (primary) {
      l.expiry = now + seconds(ttl);
      scheduleCheckpoint(l, now);
    }
    leases.put(id, l);
  }

  /** A checkpoint of lease {@code id}'s remaining TTL was applied (0 clears it). */
  public void checkpointed(long id, long remainingTtl, long now) {
    Lease l = leases.get(id);
    if (l != null) {
      l.remainingTtl = remainingTtl;
      if (primary) {
        scheduleCheckpoint(l, now);
      }
    }
  }

  private void scheduleCheckpoint(Lease l, long now) {
    l.nextCheckpoint =
        checkpointNanos > 0 && seconds(l.ttl) > checkpointNanos ? now + checkpointNanos : 0;
  }

  /** A remaining TTL to checkpoint through Raft. */
  public record Checkpoint(long id, long remainingTtl) {}

  /**
   * On the primary, up to {@code limit} leases whose checkpoint is due at {@code now}, with their
   * remaining TTL in whole seconds (etcd: at most 1000 per proposal); each is due again an interval
   * later.
   */
  public List<Checkpoint> dueCheckpoints(long now, int limit) {
    if (!primary || checkpointNanos == 0) {
      return List.of();
    }
    List<Checkpoint> due = new ArrayList<>();
    for (Lease l : leases.values()) {
      if (due.size() == limit) {
        break;
      }
      if (l.nextCheckpoint != 0 && l.nextCheckpoint <= now && l.expiry > now) {
        due.add(new Checkpoint(l.id, Math.max(1, (l.expiry - now) / 1_000_000_000L)));
        l.nextCheckpoint = now + checkpointNanos;
      }
    }
    return due;
  }

  /** A revoke was applied. */
  public void revoked(long id) {
    leases.remove(id);
  }

  /**
   * Become the primary: every lease expires its full TTL (or its checkpointed remaining TTL) plus
   * {@code extendNanos} from now (etcd's {@code Promote(electionTimeout)}).
   */
  public void promote(long now, long extendNanos) {
    primary = true;
    for (Lease l : leases.values()) {
      l.expiry = now + extendNanos + seconds(l.remainingTtl > 0 ? l.remainingTtl : l.ttl);
      l.retryAt = 0;
      scheduleCheckpoint(l, now);
    }
  }

  /** Stop being the primary: leases never expire here. */
  public void demote() {
    primary = false;
    for (Lease l : leases.values()) {
      l.expiry = FOREVER;
    }
  }

  /**
   * A keep-alive on the primary (etcd's {@code Renew}): the lease expires its TTL from now; answers
   * the granted TTL, or 0 if no such lease exists or it has already expired (its revoke is under
   * way).
   *
   * @throws IllegalStateException if this is not the primary
   */
  public long renew(long id, long now) {
    if (!primary) {
      throw new IllegalStateException("not the primary lessor");
    }
    Lease l = leases.get(id);
    if (l == null || l.expiry <= now) {
      return 0;
    }
    l.expiry = now + seconds(l.ttl);
    scheduleCheckpoint(l, now);
    return l.ttl;
  }

  /**
   * Whether lease {@code id} carries a checkpointed remaining TTL, which a keep-alive must clear
   * through Raft (etcd proposes a checkpoint of 0 on such a renew).
   */
  public boolean hasCheckpoint(long id) {
    Lease l = leases.get(id);
    return l != null && l.remainingTtl > 0;
  }

  /** Remaining and granted TTL of a lease, or null if it does not exist. */
  public record TimeToLive(long remainingSeconds, long grantedTtl) {}

  /**
   * The remaining TTL in whole seconds (truncated, as etcd: "expires in under TTL + 1 s"), or the
   * granted TTL on a follower; null if no such lease exists.
   */
  public TimeToLive timeToLive(long id, long now) {
    Lease l = leases.get(id);
    if (l == null) {
      return null;
    }
    long remaining = l.expiry == FOREVER ? l.ttl : Math.max(0, (l.expiry - now) / 1_000_000_000L);
    return new TimeToLive(remaining, l.ttl);
  }

  /** Every lease ID, soonest expiry first (etcd's {@code Leases()}). */
  public List<Long> ids() {
    List<Lease> all = new ArrayList<>(leases.values());
    all.sort(Comparator.comparingLong((Lease l) -> l.expiry).thenComparingLong(l -> l.id));
    List<Long> ids = new ArrayList<>(all.size());
    for (Lease l : all) {
      ids.add(l.id);
    }
    return ids;
  }

  public int size() {
    return leases.size();
  }

  /**
   * On the primary, up to {@code limit} leases expired at {@code now}, soonest first; each is
   * reported again only after {@link #RETRY_NANOS} if its revoke has not been applied by then.
   * Empty on a follower.
   */
  public List<Long> expired(long now, int limit) {
    if (!primary) {
      return List.of();
    }
    List<Lease> due = new ArrayList<>();
    for (Lease l : leases.values()) {
      if (l.expiry <= now && l.retryAt <= now) {
        due.add(l);
      }
    }
    due.sort(Comparator.comparingLong((Lease l) -> l.expiry).thenComparingLong(l -> l.id));
    List<Long> ids = new ArrayList<>(Math.min(limit, due.size()));
    for (Lease l : due) {
      if (ids.size() == limit) {
        break;
      }
      ids.add(l.id);
      l.retryAt = now + RETRY_NANOS;
    }
    return ids;
  }

  private static long seconds(long s) {
    return s > Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE / 2 : s * 1_000_000_000L;
  }
}
