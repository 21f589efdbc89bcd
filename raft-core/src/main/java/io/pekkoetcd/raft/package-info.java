/**
 * Pure, deterministic Raft (modelled on etcd-io/raft): the algorithm only; the caller does disk,
 * network, clock.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link io.pekkoetcd.raft.RawNode} is the single entry point, driven from one thread (the
 *       {@code RaftNode} actor). Inputs: {@code tick()} (logical time), {@code step(Message)} (from
 *       peers), {@code propose}, {@code proposeConfChange}, {@code readIndex}, {@code
 *       transferLeadership}. Output: a {@link io.pekkoetcd.raft.Ready}, taken with {@code ready()}
 *       and acknowledged with {@code advance(ready)}.
 *   <li>Durable before visible: a Ready's snapshot, entries and hard state are persisted before any
 *       of its messages are sent and before its committed entries are applied.
 *   <li>Storage: the caller implements {@link io.pekkoetcd.raft.RaftStorage} over its WAL ({@link
 *       io.pekkoetcd.raft.MemoryRaftStorage} for tests and restart); Raft only reads it.
 *   <li>No threads, no clock, no I/O, JDK only: randomness (election timeouts) comes from {@link
 *       io.pekkoetcd.raft.RaftConfig#random()}, so a seed reproduces a run.
 *   <li>Refused requests throw {@link io.pekkoetcd.raft.ProposalDropped} with a closed {@link
 *       io.pekkoetcd.raft.DropReason}; nothing else is reported as an error.
 *   <li>Membership changes one member at a time, effective when the committed entry is applied
 *       ({@code applyConfChange}).
 * </ul>
 *
 * <p>Inside: {@code Raft} holds the state and the term rules common to all roles; one step class
 * per role ({@code FollowerStep}, {@code PreCandidateStep}, {@code CandidateStep}, {@code
 * LeaderStep}); {@code Election} for campaigns and vote requests; {@code RaftLog} over storage plus
 * {@code UnstableLog}; {@code ProgressTracker}/{@code Progress}/{@code Inflights} for the leader's
 * flow control; {@code ReadIndexQueue} for linearizable reads. See {@code raft-core/DESIGN.md}.
 */
package io.pekkoetcd.raft;
