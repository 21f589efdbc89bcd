package io.pekkoetcd.mvcc;

import java.util.Objects;

/**
 * Options of an {@link MvccStore}.
 *
 * @param maxTxnOps etcd's {@code --max-txn-ops} (default 128), used by {@link KvRequestValidator}
 * @param compactionBatchSize revisions deleted per LevelDB batch when a compaction removes data
 *     (default 1000)
 * @param syncWrites fsync each {@code applyBatch} (default false: the Raft WAL is the durable log)
 * @param leases lease existence, for Put with a lease (default: no lease exists)
 * @param eventsWithPrevKv fill {@code prev_kv} of the events {@code applyBatch} returns (default
 *     true; costs one backend read per changed key that existed)
 * @param cacheSizeBytes LevelDB block cache (default 32 MiB)
 * @param kvCacheEntries recently written or read KeyValues kept in memory by revision (default
 *     10000; 0 = off): spares the backend read behind prev_kv, ignore_value and reads of hot keys
 */
public record MvccOptions(
    int maxTxnOps,
    int compactionBatchSize,
    boolean syncWrites,
    LeaseLookup leases,
    boolean eventsWithPrevKv,
    long cacheSizeBytes,
    int kvCacheEntries) {

  public MvccOptions {
    if (maxTxnOps < 0 || compactionBatchSize <= 0 || cacheSizeBytes < 0 || kvCacheEntries < 0) {
      throw new IllegalArgumentException("invalid mvcc options");
    }
    Objects.requireNonNull(leases, "leases");
  }

  public static MvccOptions defaults() {
    return new MvccOptions(128, 1000, false, LeaseLookup.NONE, true, 32L << 20, 10_000);
  }

  public MvccOptions withMaxTxnOps(int v) {
    return new MvccOptions(
        v,
        compactionBatchSize,
        syncWrites,
        leases,
        eventsWithPrevKv,
        cacheSizeBytes,
        kvCacheEntries);
  }

  public MvccOptions withCompactionBatchSize(int v) {
    return new MvccOptions(
        maxTxnOps, v, syncWrites, leases, eventsWithPrevKv, cacheSizeBytes, kvCacheEntries);
  }

  public MvccOptions withSyncWrites(boolean v) {
    return new MvccOptions(
        maxTxnOps,
        compactionBatchSize,
        v,
        leases,
        eventsWithPrevKv,
        cacheSizeBytes,
        kvCacheEntries);
  }

  public MvccOptions withLeases(LeaseLookup v) {
    return new MvccOptions(
        maxTxnOps,
        compactionBatchSize,
        syncWrites,
        v,
        eventsWithPrevKv,
        cacheSizeBytes,
        kvCacheEntries);
  }

  public MvccOptions withEventsWithPrevKv(boolean v) {
    return new MvccOptions(
        maxTxnOps, compactionBatchSize, syncWrites, leases, v, cacheSizeBytes, kvCacheEntries);
  }

  public MvccOptions withCacheSizeBytes(long v) {
    return new MvccOptions(
        maxTxnOps, compactionBatchSize, syncWrites, leases, eventsWithPrevKv, v, kvCacheEntries);
  }

  public MvccOptions withKvCacheEntries(int v) {
    return new MvccOptions(
        maxTxnOps, compactionBatchSize, syncWrites, leases, eventsWithPrevKv, cacheSizeBytes, v);
  }
}
