package io.pekkoetcd.server.config;

import static io.pekkoetcd.server.config.Flag.Group.MEMBER;
import static io.pekkoetcd.server.config.Flag.Kind.STRING;
import static io.pekkoetcd.server.config.Flag.Use.STORED;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The table of every etcd 3.4 / 3.5 server flag pekko-etcd accepts, in {@code etcd --help} order.
 * Names and defaults are etcd 3.4.23's ({@code etcd --help}), except the 3.5 defaults {@code
 * --pre-vote=true} and {@code --logger=zap}. A flag missing from this table is "flag provided but
 * not defined", as in etcd.
 *
 * <p>The flags themselves live by help group: {@link MemberFlags}, {@link ClusteringFlags}, {@link
 * SecurityFlags} (security, auth), {@link LoggingFlags} (profiling and monitoring, logging), {@link
 * LegacyFlags} (v2 proxy, to be deprecated) and {@link ExperimentalFlags} (experimental, unsafe).
 * This class assembles them in etcd's group order, adds {@code --config-file}, and indexes them by
 * name.
 */
final class EtcdFlags {

  static final String CONFIG_FILE = "config-file";

  /** The config file itself, handled before everything else; last, and not listed by the help. */
  private static final Flag CONFIG_FILE_FLAG =
      new Flag(
          CONFIG_FILE,
          STRING,
          "",
          MEMBER,
          STORED,
          "Path to the server configuration file. If given, other flags and environment variables are ignored.");

  /**
   * Every flag, grouped and ordered as {@code etcd --help} lists them, then {@code config-file}.
   */
  static final List<Flag> ALL =
      Stream.of(
              MemberFlags.MEMBER_GROUP,
              ClusteringFlags.CLUSTERING_GROUP,
              SecurityFlags.SECURITY_GROUP,
              SecurityFlags.AUTH_GROUP,
              LoggingFlags.MONITORING_GROUP,
              LoggingFlags.LOGGING_GROUP,
              LegacyFlags.PROXY_GROUP,
              ExperimentalFlags.EXPERIMENTAL_GROUP,
              ExperimentalFlags.UNSAFE_GROUP,
              LegacyFlags.DEPRECATED_GROUP,
              List.of(CONFIG_FILE_FLAG))
          .flatMap(List::stream)
          .toList();

  private static final Map<String, Flag> BY_NAME = index();

  private EtcdFlags() {}

  static Optional<Flag> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  static Flag get(String name) {
    Flag flag = BY_NAME.get(name);
    if (flag == null) {
      throw new IllegalArgumentException("no such flag in the table: " + name);
    }
    return flag;
  }

  private static Map<String, Flag> index() {
    Map<String, Flag> byName = new LinkedHashMap<>();
    for (Flag flag : ALL) {
      if (byName.put(flag.name(), flag) != null) {
        throw new IllegalStateException("duplicate flag " + flag.name());
      }
    }
    return Map.copyOf(byName);
  }
}
