package io.pekkoetcd.raft;

/** Outcome of counting votes so far. */
enum VoteResult {
  PENDING,
  WON,
  LOST
}
