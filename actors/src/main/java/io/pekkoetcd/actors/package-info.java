/**
 * One member's actors: {@link io.pekkoetcd.actors.RaftNode} (Raft; owns the WAL, sends its Raft
 * messages straight to the other members' Raft nodes over Pekko Cluster through its {@code
 * PeerOutbox}, and owns the {@link io.pekkoetcd.actors.PeerTransport}, which reports reachability
 * and handles what is not a Raft message), {@link io.pekkoetcd.actors.KvActor} (owns the MVCC
 * store; applies committed entries in log order; serves reads), the watch hub, the {@code
 * LeaderMonitor} (etcd's monitorLeader: after three election timeouts without a leader it tells the
 * hub to end the Watch streams opened with {@code hasleader}) and the {@link
 * io.pekkoetcd.actors.EtcdMember} facade the client port calls.
 *
 * <p>Write path: {@code EtcdMember} validates, registers the request in {@link
 * io.pekkoetcd.actors.PendingRequests} and proposes it → {@code RaftNode} appends it to the WAL
 * (one fsync per batch) → after the WAL confirms, the entries are committed and sent to {@code
 * KvActor} → {@code KvActor} applies them through the apply layer ({@code
 * io.pekkoetcd.actors.apply}) in one LevelDB batch, tells the watch hub, then hands the waiting
 * requests to {@link io.pekkoetcd.actors.WriterReplies}, which completes them off the actor, in log
 * order. On a follower, Raft forwards the proposal to the leader; every member applies the
 * committed entry, and the proposer's {@code KvActor} completes the request.
 *
 * <p>Linearizable read path: {@code RaftNode} obtains a read index (ReadIndex, confirmed by the
 * leader with a heartbeat quorum), then {@code KvActor} serves the read once its applied index
 * reaches it. Errors are {@code MvccException} (KV domain) and {@link
 * io.pekkoetcd.actors.ServerException} (the member's own); the client port translates both. The
 * test-only failpoint {@link io.pekkoetcd.actors.Failpoints} ({@code
 * PEKKO_ETCD_FAILPOINT_SKIP_READ_INDEX}, never on by default) skips the read index, to prove the
 * multi-jvm checks catch stale reads.
 *
 * <p>Snapshots: every {@code --snapshot-count} durable applied entries, at most every 10,000
 * ({@code MemberConfig.compactionInterval}), {@code RaftNode} compacts the WAL (keeping {@code
 * --experimental-snapshot-catchup-entries}); the compaction point becomes Raft's snapshot. A leader
 * does not compact while it streams a snapshot, nor afterwards past the match index of a follower
 * it sent one (at most 100,000 entries held; {@code LogRetention}), so that follower catches up
 * from the log instead of being sent snapshot after snapshot under write load. A follower that
 * needs compacted entries gets the MVCC store instead of a plain {@code MsgSnap}: the leader's
 * {@link io.pekkoetcd.actors.SnapshotSender} (one per follower at a time) streams a point-in-time
 * export that {@code KvActor} takes (a LevelDB snapshot; read off the KV actor, on {@code
 * pekko-etcd.snapshot-dispatcher}) in ≤ 1 MiB chunks with a window of 4 and a CRC-32C, over
 * Artery's large-message lane, to the follower's {@link io.pekkoetcd.actors.SnapshotReceiver},
 * which stages a LevelDB under {@code member/snap}, verifies it, and only then steps the {@code
 * MsgSnap}. Once the WAL has recorded the new log start, {@code KvActor} swaps the staged store in
 * ({@link io.pekkoetcd.actors.SnapshotFiles}: the crash-safety order) and tells the watch hub,
 * whose caught-up watchers then read the skipped revisions from the new store's history. The
 * sender's outcome becomes {@code reportSnapshot}; a failed transfer is retried when Raft probes
 * the follower again.
 *
 * <p>{@code RaftNode}'s behaviour is its role, as {@code raft-core} reports it in a Ready's soft
 * state (the core alone decides transitions; the switch is logged as etcd's raft does, {@code 1
 * became leader at term 5}): {@link io.pekkoetcd.actors.Recovering} while the WAL loads, then
 * {@link io.pekkoetcd.actors.FollowerRole} (forwards proposals and read indexes to the leader it
 * knows, holds them while it knows none), {@link io.pekkoetcd.actors.CandidateRole} (pre-vote
 * included; holds proposals and reads, bounded, until a leader is known or the request timeout
 * refuses them with "etcdserver: request timed out") and {@link io.pekkoetcd.actors.LeaderRole}
 * (appends, answers read indexes with a heartbeat quorum, owns the snapshot senders and stops them
 * when it steps down). They share one {@link io.pekkoetcd.actors.RaftContext}; the Ready loop is
 * {@link io.pekkoetcd.actors.ReadyLoop}. Children come from {@code RaftNode.Deps}, so tests run a
 * node over an in-memory WAL on ManualTime.
 *
 * <p>Leases: grant and revoke are proposed and applied like KV writes (the apply layer keeps the
 * lease bucket in the MVCC store, in the same batch as the consistent index). {@link
 * io.pekkoetcd.actors.LeaseActor} (one per member, {@code /user/leases}) owns the member's pure
 * {@code lease.Lessor}: the KV actor tells it each batch's grants and revokes; it reads the Raft
 * node's status every 500 ms, and as leader promotes its lessor (every lease restarts its TTL plus
 * an election timeout), answers keep-alives and TimeToLive (followers forward them to the leader's
 * lease actor over Artery, {@link io.pekkoetcd.actors.LeaseForwarder}), and proposes the revoke of
 * expired leases, at most 500 per check.
 *
 * <p>Maintenance: {@link io.pekkoetcd.actors.ClientSnapshots} writes Maintenance.Snapshot's file
 * (etcd's bbolt backend file, from an export taken between apply batches) on the snapshot
 * dispatcher; alarms go through Raft and live in the store (the apply layer's {@code AlarmOps},
 * etcd's capped applier while NOSPACE is active); {@link io.pekkoetcd.actors.QuotaGuard} is the
 * quota check before a write is proposed; {@code KvActor.Defragment} runs LevelDB's full
 * compaction; {@code AutoCompaction} (pure, explicit time) and {@code AutoCompactor} (its scheduler
 * shell, leader only) are etcd's auto-compaction.
 *
 * <p>Metrics: {@code io.pekkoetcd.actors.metrics} (one registry per member; etcd's series,
 * per-actor mailbox depth and processing time). Counters and histograms are fed where things happen
 * (the Ready loop: WAL write time and batch size, leader changes; the KV actor: apply time, puts,
 * events; the serializer: peer bytes; the transport: reachability); gauges that mirror actor state
 * are asked of the actors at scrape time ({@code MetricsScrape}), so the hot path keeps none of
 * them.
 *
 * <p>Membership (etcd's {@code membership} package): MemberAdd, MemberRemove, MemberUpdate and
 * MemberPromote are Raft configuration changes, one at a time, whose context is the {@code
 * InternalRaftRequest} with the {@code MemberChange}. {@code EtcdMember} ({@link
 * io.pekkoetcd.actors.ClusterAdmin}) first asks the {@code RaftNode} to run etcd's strict
 * reconfiguration checks ({@link io.pekkoetcd.actors.ReconfigCheck}; a follower asks the leader's
 * node about a promote, over the peer port). When the entry commits, the {@code ReadyLoop} applies
 * it to the membership in the {@link io.pekkoetcd.actors.PeerDirectory} (the pure {@code
 * apply.MemberOps}, etcd's refusals) and makes Raft's configuration agree with it; the {@code
 * KvActor} applies the same change to the membership blob the MVCC store keeps in the entry's batch
 * (so a restart and an MVCC snapshot carry it) and answers the proposer. The outbox and the {@link
 * io.pekkoetcd.actors.PeerTransport} read peers' addresses from the directory, so peers are learned
 * and forgotten with the membership; a member that applies its own removal, or hears from a member
 * that it was removed, logs etcd's "the member has been permanently removed from the cluster" and
 * stops (the server exits 1). A member started with {@code --initial-cluster-state existing} and no
 * data asks a peer for the membership first ({@link io.pekkoetcd.actors.ClusterJoin}), records it
 * in {@code member/join.pb}, starts with an empty log and takes the leader's snapshot. MoveLeader
 * is {@code RaftNode.TransferLeadership} (Raft's TimeoutNow), answered once the transferee leads. A
 * learner serves only Status and serializable reads ("etcdserver: rpc not supported for learner").
 * Member attributes go through Raft as etcd's publish: once started, a member proposes its name and
 * client URLs (a membership change of kind ATTRIBUTES) until its applied membership holds them;
 * until then MemberList shows an added member as "unstarted".
 *
 * <p>Planned, not done: read-index batching (etcd's linearizable read loop: one ReadIndex for all
 * reads waiting at once; today each read asks Raft for its own).
 */
package io.pekkoetcd.actors;
