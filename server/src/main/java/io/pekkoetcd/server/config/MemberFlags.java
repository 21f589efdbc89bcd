package io.pekkoetcd.server.config;

import static io.pekkoetcd.server.config.Flag.Group.MEMBER;
import static io.pekkoetcd.server.config.Flag.Kind.BOOL;
import static io.pekkoetcd.server.config.Flag.Kind.DURATION;
import static io.pekkoetcd.server.config.Flag.Kind.INT64;
import static io.pekkoetcd.server.config.Flag.Kind.STRING;
import static io.pekkoetcd.server.config.Flag.Kind.UINT;
import static io.pekkoetcd.server.config.Flag.Kind.UINT64;
import static io.pekkoetcd.server.config.Flag.Kind.URLS;
import static io.pekkoetcd.server.config.Flag.Use.IGNORED;
import static io.pekkoetcd.server.config.Flag.Use.STORED;

import java.util.List;

/**
 * etcd's "Member" flags: the member's name, data and WAL directories, snapshot and Raft timing, the
 * listen URLs, request limits and gRPC keepalive. Part of {@link EtcdFlags}.
 */
final class MemberFlags {

  /** The "Member" group of {@code etcd --help}, in its order. */
  static final List<Flag> MEMBER_GROUP =
      List.of(
          new Flag(
              "name", STRING, "default", MEMBER, STORED, "Human-readable name for this member."),
          new Flag(
              "data-dir", STRING, "${name}.etcd", MEMBER, STORED, "Path to the data directory."),
          new Flag("wal-dir", STRING, "", MEMBER, STORED, "Path to the dedicated wal directory."),
          new Flag(
              "snapshot-count",
              UINT64,
              "100000",
              MEMBER,
              STORED,
              "Number of committed transactions to trigger a snapshot to disk."),
          new Flag(
              "heartbeat-interval",
              UINT,
              "100",
              MEMBER,
              STORED,
              "Time (in milliseconds) of a heartbeat interval."),
          new Flag(
              "election-timeout",
              UINT,
              "1000",
              MEMBER,
              STORED,
              "Time (in milliseconds) for an election to timeout."),
          new Flag(
              "initial-election-tick-advance",
              BOOL,
              "true",
              MEMBER,
              STORED,
              "Whether to fast-forward initial election ticks on boot for faster election."),
          new Flag(
              "listen-peer-urls",
              URLS,
              "http://localhost:2380",
              MEMBER,
              STORED,
              "List of URLs to listen on for peer traffic."),
          new Flag(
              "listen-client-urls",
              URLS,
              "http://localhost:2379",
              MEMBER,
              STORED,
              "List of URLs to listen on for client traffic."),
          new Flag(
              "listen-client-http-urls",
              URLS,
              "",
              MEMBER,
              STORED,
              "(3.5) List of URLs to listen on for http only client traffic."),
          new Flag(
              "max-snapshots",
              UINT,
              "5",
              MEMBER,
              IGNORED,
              "Maximum number of snapshot files to retain (0 is unlimited)."),
          new Flag(
              "max-wals",
              UINT,
              "5",
              MEMBER,
              IGNORED,
              "Maximum number of wal files to retain (0 is unlimited)."),
          new Flag(
              "quota-backend-bytes",
              INT64,
              "0",
              MEMBER,
              STORED,
              "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota)."),
          new Flag(
              "backend-batch-interval",
              DURATION,
              "0s",
              MEMBER,
              IGNORED,
              "BackendBatchInterval is the maximum time before commit the backend transaction."),
          new Flag(
              "backend-batch-limit",
              UINT,
              "0",
              MEMBER,
              IGNORED,
              "BackendBatchLimit is the maximum operations before commit the backend transaction."),
          new Flag(
              "max-txn-ops",
              UINT,
              "128",
              MEMBER,
              STORED,
              "Maximum number of operations permitted in a transaction."),
          new Flag(
              "max-request-bytes",
              UINT,
              "1572864",
              MEMBER,
              STORED,
              "Maximum client request size in bytes the server will accept."),
          new Flag(
              "max-concurrent-streams",
              UINT64,
              "4294967295",
              MEMBER,
              STORED,
              "Maximum concurrent streams that each client can open at a time."),
          new Flag(
              "grpc-keepalive-min-time",
              DURATION,
              "5s",
              MEMBER,
              STORED,
              "Minimum duration interval that a client should wait before pinging server."),
          new Flag(
              "grpc-keepalive-interval",
              DURATION,
              "2h",
              MEMBER,
              STORED,
              "Frequency duration of server-to-client ping to check if a connection is alive (0 to disable)."),
          new Flag(
              "grpc-keepalive-timeout",
              DURATION,
              "20s",
              MEMBER,
              STORED,
              "Additional duration of wait before closing a non-responsive connection (0 to disable)."),
          new Flag(
              "socket-reuse-port",
              BOOL,
              "false",
              MEMBER,
              IGNORED,
              "(3.5) Enable SO_REUSEPORT on listener sockets."),
          new Flag(
              "socket-reuse-address",
              BOOL,
              "false",
              MEMBER,
              IGNORED,
              "(3.5) Enable SO_REUSEADDR on listener sockets."));

  private MemberFlags() {}
}
