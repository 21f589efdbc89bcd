package io.pekkoetcd.mvcc;

/**
 * Options of an {@link MvccStore}.
 *
 * @param compactionBatchSize revisions deleted per LevelDB batch when a compaction removes data
 *     (default 1000)
 * @param eventsWithPrevKv fill {@code prev_kv} of the events {@link TxnWrite#changes()} returns
 *     (default true; costs one backend read per changed key that existed)
 * @param cacheSizeBytes LevelDB block cache (default 32 MiB)
 * @param kvCacheEntries recently written or read KeyValues kept in memory by revision (default
 *     1000; 0 = off): spares the backend read behind prev_kv, ignore_value and reads of hot keys.
 *     Kept small on purpose: a cached KeyValue lives until this many others pass through, and at
 *     10,000 that outlived two young collections under load, so the cache's churn was promoted and
 *     died in the old generation (serial GC, 100 clients: 4.7 full collections per 100k puts at
 *     10,000 entries, 1.9 at 500); a key written again within 1,000 writes still hits.
 */
public record MvccOptions(
    int compactionBatchSize, boolean eventsWithPrevKv, long cacheSizeBytes, int kvCacheEntries) {

  public MvccOptions {
    if (compactionBatchSize <= 0 || cacheSizeBytes < 0 || kvCacheEntries < 0) {
      throw new IllegalArgumentException("invalid mvcc options");
    }
  }

  public static MvccOptions defaults() {
    return new MvccOptions(1000, true, 32L << 20, 1_000);
  }

  public MvccOptions withCompactionBatchSize(int v) {
    return new MvccOptions(v, eventsWithPrevKv, cacheSizeBytes, kvCacheEntries);
  }

  public MvccOptions withEventsWithPrevKv(boolean v) {
    return new MvccOptions(compactionBatchSize, v, cacheSizeBytes, kvCacheEntries);
  }

  public MvccOptions withCacheSizeBytes(long v) {
    return new MvccOptions(compactionBatchSize, eventsWithPrevKv, v, kvCacheEntries);
  }

  public MvccOptions withKvCacheEntries(int v) {
    return new MvccOptions(compactionBatchSize, eventsWithPrevKv, cacheSizeBytes, v);
  }
}
