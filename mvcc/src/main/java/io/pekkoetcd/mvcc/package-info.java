/**
 * etcd's MVCC key-value store on LevelDB: pure (no Pekko, no threads), owned and called by one
 * actor. It speaks keys, revisions and {@code mvccpb} types only: no gRPC request types, no Raft
 * envelope (checked by {@code ImportRulesTest}); turning etcd requests into store operations is the
 * apply layer's job ({@code io.pekkoetcd.actors.apply}).
 *
 * <ul>
 *   <li>{@link io.pekkoetcd.mvcc.KV} and its views, as etcd's {@code kv.go}: {@link
 *       io.pekkoetcd.mvcc.ReadView} / {@link io.pekkoetcd.mvcc.TxnRead} (range at a revision),
 *       {@link io.pekkoetcd.mvcc.WriteView} / {@link io.pekkoetcd.mvcc.TxnWrite} (put, delete
 *       range, compact; one write txn per committed Raft entry, one LevelDB batch per {@code
 *       commit}, with the consistent index). Options and results are records: {@link
 *       io.pekkoetcd.mvcc.RangeOptions}, {@link io.pekkoetcd.mvcc.RangeResult}, {@link
 *       io.pekkoetcd.mvcc.DeleteResult}.
 *   <li>{@link io.pekkoetcd.mvcc.MvccStore}: the implementation: open (rebuilds the key index),
 *       history reads ({@code eventsBetween}, {@code hashKV}), figures, export.
 *   <li>{@link io.pekkoetcd.mvcc.MvccExport} / {@link io.pekkoetcd.mvcc.MvccImport}: the whole
 *       store as a byte stream (a point-in-time LevelDB snapshot, read lazily, possibly from
 *       another thread) and its import into a fresh LevelDB from chunks, for a follower behind the
 *       leader's log compaction.
 *   <li>{@link io.pekkoetcd.mvcc.EtcdBackendExport} / {@link io.pekkoetcd.mvcc.EtcdBackendImport}:
 *       an export written as etcd 3.4's backend file (bbolt: Maintenance.Snapshot, {@code etcdctl
 *       snapshot status/restore}) and a new store built from one (ours or real etcd's: {@code
 *       pekko-etcdutl snapshot restore}). Alarms ({@link io.pekkoetcd.mvcc.StoredAlarm}) are kept
 *       like leases, in the batch of their entry.
 *   <li>{@link io.pekkoetcd.mvcc.MvccError} / {@link io.pekkoetcd.mvcc.MvccException}: the closed
 *       error set; the gRPC edge maps it to etcd's codes and strings.
 *   <li>Internals named as in etcd's {@code server/storage/mvcc}: {@code Revision}, {@code
 *       KeyIndex} (generations, tombstones, compaction), {@code TreeIndex}, {@code StoreTxn}
 *       ({@code kvstore_txn.go}), {@code History}, {@code KvReads} (staged changes, LRU, backend),
 *       {@code Backend}.
 * </ul>
 *
 * See {@code mvcc/DESIGN.md}.
 */
package io.pekkoetcd.mvcc;
