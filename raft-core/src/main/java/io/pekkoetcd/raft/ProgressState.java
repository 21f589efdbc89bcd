package io.pekkoetcd.raft;

/** How the leader replicates to one follower; see DESIGN.md for the transitions. */
public enum ProgressState {
  /** Follower's match is unknown: send one append at a time and wait for the answer. */
  PROBE,
  /** Follower is known to match: pipeline appends optimistically, up to the in-flight window. */
  REPLICATE,
  /**
   * Follower needs compacted entries: one snapshot is on its way; appends pause until it is
   * acknowledged.
   */
  SNAPSHOT
}
