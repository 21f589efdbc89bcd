package io.pekkoetcd.raft;

/** The one-member-at-a-time membership changes. Adding a voter that is a learner promotes it. */
public enum ConfChangeType {
  ADD_VOTER,
  ADD_LEARNER,
  REMOVE_MEMBER
}
