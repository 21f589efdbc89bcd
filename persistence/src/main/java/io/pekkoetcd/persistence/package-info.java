/**
 * The Raft WAL: {@link io.pekkoetcd.persistence.RaftLogStore}, one {@code EventSourcedBehavior} per
 * member on the Pekko Persistence LevelDB journal (fsync on), with Pekko snapshots of its state.
 *
 * <p>Contract: the owner (the member's {@code RaftNode}) sends {@code Append} and acts on entries
 * and hard state only after the {@code Appended} reply: durable before visible. The WAL speaks
 * raft-core's own types: its events ({@code HardStateSet}, {@code EntriesAppended}, which truncates
 * a conflicting suffix, {@code LogCompacted}, {@code SnapshotSaved}) wrap {@code raft.HardState},
 * {@code raft.Entry} and {@code raft.Snapshot} metadata, its state is a raft-core {@code
 * MemoryRaftStorage}, and {@code Load} answers with a copy that becomes the owner's Raft storage,
 * so an entry is never converted between Raft and the WAL. {@link
 * io.pekkoetcd.persistence.WalSerializer} writes them as protobuf ({@code pekkoetcd/wal.proto});
 * {@link io.pekkoetcd.persistence.RaftProtos} is the one raft-core ↔ protobuf mapping, shared with
 * the peer wire format. Recovery replays events from the latest snapshot. On disk: the journal
 * under {@code <data-dir>/member/wal}, snapshots under {@code <data-dir>/member/snap} (configured
 * by the server).
 */
package io.pekkoetcd.persistence;
