package io.pekkoetcd.raft;

/**
 * Thrown by {@link RaftStorage#snapshot()} while a snapshot is being produced; the leader retries
 * later.
 */
public final class SnapshotTemporarilyUnavailableException extends RuntimeException {

  public SnapshotTemporarilyUnavailableException() {
    super("snapshot temporarily unavailable", null, false, false);
  }
}
