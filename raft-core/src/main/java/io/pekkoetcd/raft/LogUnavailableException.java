package io.pekkoetcd.raft;

/** The requested index is beyond the last index of the log. */
public final class LogUnavailableException extends RuntimeException {

  public LogUnavailableException(long index) {
    super("index " + index + " is unavailable", null, false, false);
  }
}
