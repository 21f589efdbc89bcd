package io.pekkoetcd.server.config;

import static io.pekkoetcd.server.config.Flag.Group.DEPRECATED;
import static io.pekkoetcd.server.config.Flag.Group.PROXY;
import static io.pekkoetcd.server.config.Flag.Kind.BOOL;
import static io.pekkoetcd.server.config.Flag.Kind.STRING;
import static io.pekkoetcd.server.config.Flag.Kind.UINT;
import static io.pekkoetcd.server.config.Flag.Use.IGNORED;
import static io.pekkoetcd.server.config.Flag.Use.STORED;
import static io.pekkoetcd.server.config.Flag.Use.UNSUPPORTED;

import java.util.List;

/**
 * Flags etcd keeps for old deployments: the v2 proxy ({@code --proxy}, refused unless {@code off};
 * the other proxy flags are ignored) and the "TO BE DEPRECATED" group ({@code --debug}, {@code
 * --log-package-levels}, {@code --log-output}). Part of {@link EtcdFlags}.
 */
final class LegacyFlags {

  /** The "v2 Proxy" group of {@code etcd --help}, in its order. */
  static final List<Flag> PROXY_GROUP =
      List.of(
          new Flag(
              "proxy",
              STRING,
              "off",
              PROXY,
              UNSUPPORTED,
              "Proxy mode setting ('off', 'readonly' or 'on')."),
          new Flag(
              "proxy-failure-wait",
              UINT,
              "5000",
              PROXY,
              IGNORED,
              "Time (in milliseconds) an endpoint will be held in a failed state."),
          new Flag(
              "proxy-refresh-interval",
              UINT,
              "30000",
              PROXY,
              IGNORED,
              "Time (in milliseconds) of the endpoints refresh interval."),
          new Flag(
              "proxy-dial-timeout",
              UINT,
              "1000",
              PROXY,
              IGNORED,
              "Time (in milliseconds) for a dial to timeout."),
          new Flag(
              "proxy-write-timeout",
              UINT,
              "5000",
              PROXY,
              IGNORED,
              "Time (in milliseconds) for a write to timeout."),
          new Flag(
              "proxy-read-timeout",
              UINT,
              "0",
              PROXY,
              IGNORED,
              "Time (in milliseconds) for a read to timeout."));

  /** The "TO BE DEPRECATED" group of {@code etcd --help}, in its order. */
  static final List<Flag> DEPRECATED_GROUP =
      List.of(
          new Flag(
              "debug",
              BOOL,
              "false",
              DEPRECATED,
              STORED,
              "Enable debug-level logging for etcd. Use '--log-level=debug' instead."),
          new Flag(
              "log-package-levels",
              STRING,
              "",
              DEPRECATED,
              IGNORED,
              "Specify a particular log level for each etcd package."),
          new Flag(
              "log-output",
              STRING,
              "default",
              DEPRECATED,
              IGNORED,
              "[deprecated] use --log-outputs."));

  private LegacyFlags() {}
}
