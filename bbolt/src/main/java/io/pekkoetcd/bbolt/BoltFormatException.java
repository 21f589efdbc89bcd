package io.pekkoetcd.bbolt;

import java.io.IOException;

/** A file that is not a bbolt database, or a damaged one (the reason is the message). */
public final class BoltFormatException extends IOException {
  public BoltFormatException(String message) {
    super(message);
  }
}
