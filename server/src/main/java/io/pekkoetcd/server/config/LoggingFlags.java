package io.pekkoetcd.server.config;

import static io.pekkoetcd.server.config.Flag.Group.LOGGING;
import static io.pekkoetcd.server.config.Flag.Group.MONITORING;
import static io.pekkoetcd.server.config.Flag.Kind.BOOL;
import static io.pekkoetcd.server.config.Flag.Kind.LIST;
import static io.pekkoetcd.server.config.Flag.Kind.STRING;
import static io.pekkoetcd.server.config.Flag.Kind.URLS;
import static io.pekkoetcd.server.config.Flag.Use.IGNORED;
import static io.pekkoetcd.server.config.Flag.Use.STORED;

import java.util.List;

/**
 * etcd's "Profiling and Monitoring" flags (pprof, metrics, the metrics listener, the gRPC gateway)
 * and "Logging" flags (logger, outputs, level, rotation). Part of {@link EtcdFlags}.
 */
final class LoggingFlags {

  /** The "Profiling and Monitoring" group of {@code etcd --help}, in its order. */
  static final List<Flag> MONITORING_GROUP =
      List.of(
          new Flag(
              "enable-pprof",
              BOOL,
              "false",
              MONITORING,
              STORED,
              "Enable runtime profiling data via HTTP server."),
          new Flag(
              "metrics",
              STRING,
              "basic",
              MONITORING,
              STORED,
              "Set level of detail for exported metrics, specify 'extensive' to include histogram metrics."),
          new Flag(
              "listen-metrics-urls",
              URLS,
              "",
              MONITORING,
              STORED,
              "List of URLs to listen on for the metrics and health endpoints."),
          new Flag(
              "enable-grpc-gateway", BOOL, "true", MONITORING, STORED, "Enable GRPC gateway."));

  /** The "Logging" group of {@code etcd --help}, in its order. */
  static final List<Flag> LOGGING_GROUP =
      List.of(
          new Flag(
              "logger",
              STRING,
              "zap",
              LOGGING,
              STORED,
              "Specify 'zap' for structured logging or 'capnslog'."),
          new Flag(
              "log-outputs",
              LIST,
              "default",
              LOGGING,
              STORED,
              "Specify 'stdout' or 'stderr' to skip journald logging, or list of comma separated output targets."),
          new Flag(
              "log-level",
              STRING,
              "info",
              LOGGING,
              STORED,
              "Configures log level. Only supports debug, info, warn, error, panic, or fatal."),
          new Flag(
              "enable-log-rotation",
              BOOL,
              "false",
              LOGGING,
              IGNORED,
              "(3.5) Enable log rotation of a single log-outputs file target."),
          new Flag(
              "log-rotation-config-json",
              STRING,
              "",
              LOGGING,
              IGNORED,
              "(3.5) Configures log rotation."));

  private LoggingFlags() {}
}
