package io.pekkoetcd.raft;

/** The requested index is at or below the storage's snapshot: only the snapshot covers it now. */
public final class LogCompactedException extends RuntimeException {

  public LogCompactedException(long index) {
    super("index " + index + " is compacted");
  }
}
