/**
 * Seeded simulation of raft-core clusters: {@link io.pekkoetcd.testkit.raftsim.RaftSimulation}
 * drives members ({@code RawNode} + {@code MemoryRaftStorage}) over a lossy, duplicating,
 * reordering, partitionable network with crashes (losing only what was not persisted), restarts,
 * compaction, membership changes and leadership transfers, and checks Raft's safety properties
 * after every step ({@code SafetyChecker}); then heals everything and checks liveness. Same seed,
 * same run; a failure names its seed.
 */
package io.pekkoetcd.testkit.raftsim;
