/**
 * The Raft WAL: {@link io.pekkoetcd.persistence.RaftLogStore}, one {@code EventSourcedBehavior} per
 * member on the Pekko Persistence LevelDB journal (fsync on), with Pekko snapshots of its state.
 *
 * <p>Contract: the owner (the member's {@code RaftNode}) sends {@code Append} and acts on entries
 * and hard state only after the {@code Appended} reply: durable before visible. Events are {@code
 * HardStateSet}, {@code EntriesAppended} (which truncates a conflicting suffix) and {@code
 * LogCompacted}; recovery replays them from the latest snapshot. On disk: the journal under {@code
 * <data-dir>/member/wal}, snapshots under {@code <data-dir>/member/snap} (configured by the
 * server).
 */
package io.pekkoetcd.persistence;
