package io.pekkoetcd.server.config;

/**
 * The configuration cannot be used. The message is always one line, worded as etcd words it where
 * etcd has the same check (e.g. {@code flag provided but not defined: -foo}); the caller prints it
 * and exits with status 1.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(oneLine(message), null, false, false);
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
