/**
 * The apply layer (etcd's {@code apply.go} / {@code applierV3} for KV and leases): turns etcd's KV
 * requests into operations on the mvcc interfaces ({@link io.pekkoetcd.mvcc.KV}, {@link
 * io.pekkoetcd.mvcc.TxnRead}, {@link io.pekkoetcd.mvcc.TxnWrite}). Pure and single-threaded, called
 * by the {@code KvActor}.
 *
 * <ul>
 *   <li>{@link io.pekkoetcd.actors.apply.KvRequestValidator}: etcd's pre-proposal checks (empty
 *       key, op counts, duplicate keys in a txn), run before proposing.
 *   <li>{@link io.pekkoetcd.actors.apply.Applied}: a committed Raft entry decoded to its request;
 *       {@link io.pekkoetcd.actors.apply.KvApplier} applies a batch of them (one write txn each,
 *       one store commit per batch) into {@link io.pekkoetcd.actors.apply.ApplyResult}s, and serves
 *       Range and read-only Txn.
 *   <li>{@link io.pekkoetcd.actors.apply.KvOps} (Put, DeleteRange, Txn), {@code Ranges} (filters,
 *       sort, limit, keys_only) and {@code Compares}: etcd's semantics; every check comes before
 *       the first change, so a failing request changes nothing. Responses carry only the header
 *       revision; the actor completes the header.
 *   <li>{@link io.pekkoetcd.actors.apply.LeaseOps}: LeaseGrant and LeaseRevoke as applied (etcd's
 *       lessor.Grant / Revoke): the lease bucket of the store, etcd's minimum TTL, a revoke
 *       deleting every attached key in the entry's one revision. {@link
 *       io.pekkoetcd.actors.apply.LeaseLookup}: lease existence for Put (the store's lease bucket).
 *   <li>{@code AlarmOps}: Alarm GET/ACTIVATE/DEACTIVATE applied to the store's alarm records; while
 *       NOSPACE is active {@link io.pekkoetcd.actors.apply.KvApplier} refuses what takes space
 *       (etcd's capped applier). {@link io.pekkoetcd.actors.apply.Quota}: etcd's request costs and
 *       the quota check.
 *   <li>{@code AuthOps}: auth changes and Authenticate applied to the auth state kept in the
 *       store's meta key (one blob, in the entry's batch), published to the member's {@link
 *       io.pekkoetcd.actors.auth.AuthHolder} after commit; a write checked as a user is checked
 *       again at the auth revision it is applied at.
 * </ul>
 *
 * Errors are {@link io.pekkoetcd.mvcc.MvccError}s, mapped to etcd's codes and strings at the gRPC
 * edge.
 */
package io.pekkoetcd.actors.apply;
