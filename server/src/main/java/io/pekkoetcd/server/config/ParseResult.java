package io.pekkoetcd.server.config;

import java.util.List;

/**
 * What {@link EtcdConfigParser#parse} found on the command line: run a member, or print help or the
 * version.
 */
public sealed interface ParseResult {

  /**
   * Start a member with this configuration.
   *
   * @param warnings one-line warnings for the caller to log at WARN before starting (unknown {@code
   *     ETCD_*} variables, flags accepted but ignored, unknown config file keys), in the order
   *     found
   */
  record Run(EtcdConfig config, List<String> warnings) implements ParseResult {
    public Run {
      warnings = List.copyOf(warnings);
    }
  }

  /** {@code --help} / {@code -h}: print {@code usage} to stdout and exit 0. */
  record Help(String usage) implements ParseResult {}

  /** {@code --version}: print the version (the caller knows it) and exit 0. */
  record Version() implements ParseResult {}
}
