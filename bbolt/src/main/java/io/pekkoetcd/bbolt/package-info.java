/**
 * etcd's backend file format, JDK only (no Pekko, no protobuf): bbolt files and etcd's layout in
 * them, for snapshots that etcd's own tools read and for restoring from etcd's snapshots.
 *
 * <ul>
 *   <li>{@link io.pekkoetcd.bbolt.BoltReader}: opens a bbolt file (meta pages with FNV-1a
 *       checksums, the higher valid txid wins), walks branch and leaf pages with overflow, nested
 *       and inline buckets. Reaches pages only from the root, so free pages may hold anything.
 *   <li>{@link io.pekkoetcd.bbolt.BoltWriter}: writes a new file bottom-up from sorted keys (a bulk
 *       load): leaves stream to disk as they fill, then branch levels, the root bucket, an empty
 *       freelist and the two meta pages; every page is reachable, so bbolt's consistency check
 *       passes.
 *   <li>{@link io.pekkoetcd.bbolt.EtcdLayout}: etcd 3.4's bucket names, revision keys ({@code main
 *       '_' sub [+'t']}) and meta keys.
 *   <li>{@link io.pekkoetcd.bbolt.SnapshotTrailer}: the SHA-256 etcd appends to a snapshot.
 * </ul>
 *
 * Internals: {@code Page} (page and element layout), {@code Meta} (the meta page). All integers of
 * the format are little-endian; etcd's own keys are big-endian.
 */
package io.pekkoetcd.bbolt;
