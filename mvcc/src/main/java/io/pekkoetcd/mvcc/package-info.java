/**
 * etcd's MVCC key-value store on LevelDB: pure (no Pekko, no threads), owned and called by one
 * actor.
 *
 * <ul>
 *   <li>{@link io.pekkoetcd.mvcc.MvccStore}: open, reads ({@code range}, {@code readOnlyTxn},
 *       {@code hashKV}, {@code eventsBetween}), writes ({@code applyBatch} of committed Raft
 *       entries, consistent index in the same LevelDB batch).
 *   <li>{@link io.pekkoetcd.mvcc.MvccExport} / {@link io.pekkoetcd.mvcc.MvccImport}: the whole
 *       store as a byte stream (a point-in-time LevelDB snapshot, read lazily, possibly from
 *       another thread) and its import into a fresh LevelDB from chunks, for a follower behind the
 *       leader's log compaction.
 *   <li>{@link io.pekkoetcd.mvcc.KvRequestValidator}: etcd's pre-proposal checks (empty key, op
 *       counts, duplicate keys in a txn).
 *   <li>{@link io.pekkoetcd.mvcc.MvccError} / {@link io.pekkoetcd.mvcc.MvccException}: the closed
 *       error set; the gRPC edge maps it to etcd's codes and strings.
 *   <li>Internals named as in etcd's {@code server/storage/mvcc}: {@code Revision}, {@code
 *       KeyIndex} (generations, tombstones, compaction), {@code TreeIndex}, {@code WriteTxn},
 *       {@code KvOps}, {@code Backend}.
 * </ul>
 *
 * See {@code mvcc/DESIGN.md}.
 */
package io.pekkoetcd.mvcc;
