package io.pekkoetcd.raft;

/**
 * What one role does with a message that passed the common term rules in {@link Raft#step} (so its
 * term is ours, or 0 for routed requests). Vote requests never reach a role: {@link Raft} answers
 * them.
 */
sealed interface RoleStep permits FollowerStep, PreCandidateStep, CandidateStep, LeaderStep {

  void step(Raft raft, Message m);
}
