package io.pekkoetcd.raft;

/** A member's role; each has its own step class. */
public enum Role {
  FOLLOWER,
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
