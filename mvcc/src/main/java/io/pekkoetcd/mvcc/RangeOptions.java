package io.pekkoetcd.mvcc;

/**
 * What a {@link ReadView#range} returns (etcd's {@code RangeOptions}).
 *
 * @param limit at most this many kvs, in key order (0 = no limit); {@code count} still counts every
 *     key in the range
 * @param rev read the keys as they were at this revision; 0 (or less) = the view's revision
 * @param countOnly return no kvs, only the count
 * @param metadataOnly kvs from the key index alone: key, create_revision, mod_revision and version,
 *     no value nor lease (spares the backend read, e.g. for txn compares on revisions)
 */
public record RangeOptions(long limit, long rev, boolean countOnly, boolean metadataOnly) {

  /** Every key in the range at the view's revision, whole. */
  public static final RangeOptions ALL = new RangeOptions(0, 0, false, false);

  /** Only the count, at the view's revision. */
  public static final RangeOptions COUNT = new RangeOptions(0, 0, true, false);
}
