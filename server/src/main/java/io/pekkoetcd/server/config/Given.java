package io.pekkoetcd.server.config;

import java.nio.file.Path;

/**
 * A flag's raw value and where it came from (command line, {@code ETCD_*} variable, config file),
 * so that a malformed value is reported in etcd's words for that origin.
 *
 * @param where the variable's name for {@link Origin#ENV}, the file's path for {@link Origin#FILE},
 *     empty for {@link Origin#FLAG}
 */
record Given(String value, Origin origin, String where) {

  /** Where a value came from. */
  enum Origin {
    FLAG,
    ENV,
    FILE
  }

  static Given flag(String value) {
    return new Given(value, Origin.FLAG, "");
  }

  static Given env(String value, String variable) {
    return new Given(value, Origin.ENV, variable);
  }

  static Given file(String value, Path file) {
    return new Given(value, Origin.FILE, file.toString());
  }

  /** The flag's default, reported as if given on the command line. */
  static Given defaultOf(Flag flag) {
    return new Given(flag.defaultValue(), Origin.FLAG, "");
  }

  /** etcd's message for this value being malformed for {@code flag}, worded for its origin. */
  ConfigException invalid(Flag flag, String reason) {
    return new ConfigException(
        switch (origin) {
          case FLAG ->
              flag.isBool() && reason.equals(GoValues.PARSE_ERROR)
                  ? "invalid boolean value \"" + value + "\" for -" + flag.name() + ": " + reason
                  : "invalid value \"" + value + "\" for flag -" + flag.name() + ": " + reason;
          case ENV -> "invalid value \"" + value + "\" for " + where + ": " + reason;
          case FILE ->
              "invalid value \""
                  + value
                  + "\" for \""
                  + flag.name()
                  + "\" in config file "
                  + where
                  + ": "
                  + reason;
        });
  }
}
