package io.pekkoetcd.server.config;

import static io.pekkoetcd.server.config.Flag.Group.AUTH;
import static io.pekkoetcd.server.config.Flag.Group.CLUSTERING;
import static io.pekkoetcd.server.config.Flag.Group.DEPRECATED;
import static io.pekkoetcd.server.config.Flag.Group.EXPERIMENTAL;
import static io.pekkoetcd.server.config.Flag.Group.LOGGING;
import static io.pekkoetcd.server.config.Flag.Group.MEMBER;
import static io.pekkoetcd.server.config.Flag.Group.MONITORING;
import static io.pekkoetcd.server.config.Flag.Group.PROXY;
import static io.pekkoetcd.server.config.Flag.Group.SECURITY;
import static io.pekkoetcd.server.config.Flag.Group.UNSAFE;
import static io.pekkoetcd.server.config.Flag.Kind.BOOL;
import static io.pekkoetcd.server.config.Flag.Kind.DURATION;
import static io.pekkoetcd.server.config.Flag.Kind.INT64;
import static io.pekkoetcd.server.config.Flag.Kind.LIST;
import static io.pekkoetcd.server.config.Flag.Kind.STRING;
import static io.pekkoetcd.server.config.Flag.Kind.UINT;
import static io.pekkoetcd.server.config.Flag.Kind.UINT64;
import static io.pekkoetcd.server.config.Flag.Kind.URLS;
import static io.pekkoetcd.server.config.Flag.Use.IGNORED;
import static io.pekkoetcd.server.config.Flag.Use.STORED;
import static io.pekkoetcd.server.config.Flag.Use.UNSUPPORTED;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of every etcd 3.4 / 3.5 server flag pekko-etcd accepts, in {@code etcd --help} order.
 * Names and defaults are etcd 3.4.23's ({@code etcd --help}), except the 3.5 defaults {@code
 * --pre-vote=true} and {@code --logger=zap}. A flag missing from this table is "flag provided but
 * not defined", as in etcd.
 */
final class EtcdFlags {

  static final String CONFIG_FILE = "config-file";

  static final List<Flag> ALL =
      List.of(
          // Member
          f("name", STRING, "default", MEMBER, STORED, "Human-readable name for this member."),
          f("data-dir", STRING, "${name}.etcd", MEMBER, STORED, "Path to the data directory."),
          f("wal-dir", STRING, "", MEMBER, STORED, "Path to the dedicated wal directory."),
          f(
              "snapshot-count",
              UINT64,
              "100000",
              MEMBER,
              STORED,
              "Number of committed transactions to trigger a snapshot to disk."),
          f(
              "heartbeat-interval",
              UINT,
              "100",
              MEMBER,
              STORED,
              "Time (in milliseconds) of a heartbeat interval."),
          f(
              "election-timeout",
              UINT,
              "1000",
              MEMBER,
              STORED,
              "Time (in milliseconds) for an election to timeout."),
          f(
              "initial-election-tick-advance",
              BOOL,
              "true",
              MEMBER,
              STORED,
              "Whether to fast-forward initial election ticks on boot for faster election."),
          f(
              "listen-peer-urls",
              URLS,
              "http://localhost:2380",
              MEMBER,
              STORED,
              "List of URLs to listen on for peer traffic."),
          f(
              "listen-client-urls",
              URLS,
              "http://localhost:2379",
              MEMBER,
              STORED,
              "List of URLs to listen on for client traffic."),
          f(
              "listen-client-http-urls",
              URLS,
              "",
              MEMBER,
              STORED,
              "(3.5) List of URLs to listen on for http only client traffic."),
          f(
              "max-snapshots",
              UINT,
              "5",
              MEMBER,
              IGNORED,
              "Maximum number of snapshot files to retain (0 is unlimited)."),
          f(
              "max-wals",
              UINT,
              "5",
              MEMBER,
              IGNORED,
              "Maximum number of wal files to retain (0 is unlimited)."),
          f(
              "quota-backend-bytes",
              INT64,
              "0",
              MEMBER,
              STORED,
              "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota)."),
          f(
              "backend-batch-interval",
              DURATION,
              "0s",
              MEMBER,
              IGNORED,
              "BackendBatchInterval is the maximum time before commit the backend transaction."),
          f(
              "backend-batch-limit",
              UINT,
              "0",
              MEMBER,
              IGNORED,
              "BackendBatchLimit is the maximum operations before commit the backend transaction."),
          f(
              "max-txn-ops",
              UINT,
              "128",
              MEMBER,
              STORED,
              "Maximum number of operations permitted in a transaction."),
          f(
              "max-request-bytes",
              UINT,
              "1572864",
              MEMBER,
              STORED,
              "Maximum client request size in bytes the server will accept."),
          f(
              "max-concurrent-streams",
              UINT64,
              "4294967295",
              MEMBER,
              STORED,
              "Maximum concurrent streams that each client can open at a time."),
          f(
              "grpc-keepalive-min-time",
              DURATION,
              "5s",
              MEMBER,
              STORED,
              "Minimum duration interval that a client should wait before pinging server."),
          f(
              "grpc-keepalive-interval",
              DURATION,
              "2h",
              MEMBER,
              STORED,
              "Frequency duration of server-to-client ping to check if a connection is alive (0 to disable)."),
          f(
              "grpc-keepalive-timeout",
              DURATION,
              "20s",
              MEMBER,
              STORED,
              "Additional duration of wait before closing a non-responsive connection (0 to disable)."),
          f(
              "socket-reuse-port",
              BOOL,
              "false",
              MEMBER,
              IGNORED,
              "(3.5) Enable SO_REUSEPORT on listener sockets."),
          f(
              "socket-reuse-address",
              BOOL,
              "false",
              MEMBER,
              IGNORED,
              "(3.5) Enable SO_REUSEADDR on listener sockets."),
          // Clustering
          f(
              "initial-advertise-peer-urls",
              URLS,
              "http://localhost:2380",
              CLUSTERING,
              STORED,
              "List of this member's peer URLs to advertise to the rest of the cluster."),
          f(
              "initial-cluster",
              STRING,
              "default=http://localhost:2380",
              CLUSTERING,
              STORED,
              "Initial cluster configuration for bootstrapping."),
          f(
              "initial-cluster-state",
              STRING,
              "new",
              CLUSTERING,
              STORED,
              "Initial cluster state ('new' or 'existing')."),
          f(
              "initial-cluster-token",
              STRING,
              "etcd-cluster",
              CLUSTERING,
              STORED,
              "Initial cluster token for the etcd cluster during bootstrap."),
          f(
              "advertise-client-urls",
              URLS,
              "http://localhost:2379",
              CLUSTERING,
              STORED,
              "List of this member's client URLs to advertise to the public."),
          f(
              "discovery",
              STRING,
              "",
              CLUSTERING,
              UNSUPPORTED,
              "Discovery URL used to bootstrap the cluster."),
          f(
              "discovery-fallback",
              STRING,
              "proxy",
              CLUSTERING,
              IGNORED,
              "Expected behavior ('exit' or 'proxy') when discovery services fails."),
          f(
              "discovery-proxy",
              STRING,
              "",
              CLUSTERING,
              IGNORED,
              "HTTP proxy to use for traffic to discovery service."),
          f(
              "discovery-srv",
              STRING,
              "",
              CLUSTERING,
              UNSUPPORTED,
              "DNS srv domain used to bootstrap the cluster."),
          f(
              "discovery-srv-name",
              STRING,
              "",
              CLUSTERING,
              IGNORED,
              "Suffix to the dns srv name queried when bootstrapping."),
          f(
              "strict-reconfig-check",
              BOOL,
              "true",
              CLUSTERING,
              STORED,
              "Reject reconfiguration requests that would cause quorum loss."),
          f(
              "pre-vote",
              BOOL,
              "true",
              CLUSTERING,
              STORED,
              "Enable to run an additional Raft election phase (default true as in etcd 3.5)."),
          f(
              "auto-compaction-retention",
              STRING,
              "0",
              CLUSTERING,
              STORED,
              "Auto compaction retention length. 0 means disable auto compaction."),
          f(
              "auto-compaction-mode",
              STRING,
              "periodic",
              CLUSTERING,
              STORED,
              "Interpret 'auto-compaction-retention' one of: periodic|revision."),
          f(
              "enable-v2",
              BOOL,
              "false",
              CLUSTERING,
              IGNORED,
              "Accept etcd V2 client requests (not served)."),
          f(
              "v2-deprecation",
              STRING,
              "not-yet",
              CLUSTERING,
              IGNORED,
              "(3.5) v2store deprecation stage."),
          // Security
          f("cert-file", STRING, "", SECURITY, STORED, "Path to the client server TLS cert file."),
          f("key-file", STRING, "", SECURITY, STORED, "Path to the client server TLS key file."),
          f(
              "client-cert-auth",
              BOOL,
              "false",
              SECURITY,
              STORED,
              "Enable client cert authentication."),
          f(
              "client-crl-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the client certificate revocation list file."),
          f(
              "client-cert-allowed-hostname",
              STRING,
              "",
              SECURITY,
              STORED,
              "Allowed TLS hostname for client cert authentication."),
          f(
              "trusted-ca-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the client server TLS trusted CA cert file."),
          f(
              "auto-tls",
              BOOL,
              "false",
              SECURITY,
              STORED,
              "Client TLS using generated certificates."),
          f(
              "peer-cert-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the peer server TLS cert file."),
          f("peer-key-file", STRING, "", SECURITY, STORED, "Path to the peer server TLS key file."),
          f(
              "peer-client-cert-auth",
              BOOL,
              "false",
              SECURITY,
              STORED,
              "Enable peer client cert authentication."),
          f(
              "peer-trusted-ca-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the peer server TLS trusted CA file."),
          f(
              "peer-cert-allowed-cn",
              STRING,
              "",
              SECURITY,
              STORED,
              "Required CN for client certs connecting to the peer endpoint."),
          f(
              "peer-cert-allowed-hostname",
              STRING,
              "",
              SECURITY,
              STORED,
              "Allowed TLS hostname for inter peer authentication."),
          f(
              "peer-auto-tls",
              BOOL,
              "false",
              SECURITY,
              STORED,
              "Peer TLS using self-generated certificates."),
          f(
              "peer-crl-file",
              STRING,
              "",
              SECURITY,
              STORED,
              "Path to the peer certificate revocation list file."),
          f(
              "self-signed-cert-validity",
              UINT,
              "1",
              SECURITY,
              IGNORED,
              "(3.5) Validity period in years of auto-generated certificates."),
          f(
              "cipher-suites",
              LIST,
              "",
              SECURITY,
              STORED,
              "Comma-separated list of supported TLS cipher suites between client/server and peers."),
          f(
              "tls-min-version",
              STRING,
              "TLS1.2",
              SECURITY,
              STORED,
              "(3.5) Minimum TLS version supported by etcd."),
          f(
              "tls-max-version",
              STRING,
              "",
              SECURITY,
              STORED,
              "(3.5) Maximum TLS version supported by etcd."),
          f("cors", LIST, "*", SECURITY, STORED, "Comma-separated whitelist of origins for CORS."),
          f(
              "host-whitelist",
              LIST,
              "*",
              SECURITY,
              STORED,
              "Acceptable hostnames from HTTP client requests, if server is not secure."),
          f(
              "experimental-peer-skip-client-san-verification",
              BOOL,
              "false",
              SECURITY,
              IGNORED,
              "Skip verification of SAN field in client certificate for peer connections."),
          // Auth
          f(
              "auth-token",
              STRING,
              "simple",
              AUTH,
              STORED,
              "Specify a v3 authentication token type and its options ('simple' or 'jwt')."),
          f(
              "bcrypt-cost",
              UINT,
              "10",
              AUTH,
              STORED,
              "Specify the cost / strength of the bcrypt algorithm for hashing auth passwords."),
          f(
              "auth-token-ttl",
              UINT,
              "300",
              AUTH,
              STORED,
              "Time (in seconds) of the auth-token-ttl."),
          // Profiling and monitoring
          f(
              "enable-pprof",
              BOOL,
              "false",
              MONITORING,
              STORED,
              "Enable runtime profiling data via HTTP server."),
          f(
              "metrics",
              STRING,
              "basic",
              MONITORING,
              STORED,
              "Set level of detail for exported metrics, specify 'extensive' to include histogram metrics."),
          f(
              "listen-metrics-urls",
              URLS,
              "",
              MONITORING,
              STORED,
              "List of URLs to listen on for the metrics and health endpoints."),
          f("enable-grpc-gateway", BOOL, "true", MONITORING, STORED, "Enable GRPC gateway."),
          // Logging
          f(
              "logger",
              STRING,
              "zap",
              LOGGING,
              STORED,
              "Specify 'zap' for structured logging or 'capnslog'."),
          f(
              "log-outputs",
              LIST,
              "default",
              LOGGING,
              STORED,
              "Specify 'stdout' or 'stderr' to skip journald logging, or list of comma separated output targets."),
          f(
              "log-level",
              STRING,
              "info",
              LOGGING,
              STORED,
              "Configures log level. Only supports debug, info, warn, error, panic, or fatal."),
          f(
              "enable-log-rotation",
              BOOL,
              "false",
              LOGGING,
              IGNORED,
              "(3.5) Enable log rotation of a single log-outputs file target."),
          f(
              "log-rotation-config-json",
              STRING,
              "",
              LOGGING,
              IGNORED,
              "(3.5) Configures log rotation."),
          // v2 proxy
          f(
              "proxy",
              STRING,
              "off",
              PROXY,
              UNSUPPORTED,
              "Proxy mode setting ('off', 'readonly' or 'on')."),
          f(
              "proxy-failure-wait",
              UINT,
              "5000",
              PROXY,
              IGNORED,
              "Time (in milliseconds) an endpoint will be held in a failed state."),
          f(
              "proxy-refresh-interval",
              UINT,
              "30000",
              PROXY,
              IGNORED,
              "Time (in milliseconds) of the endpoints refresh interval."),
          f(
              "proxy-dial-timeout",
              UINT,
              "1000",
              PROXY,
              IGNORED,
              "Time (in milliseconds) for a dial to timeout."),
          f(
              "proxy-write-timeout",
              UINT,
              "5000",
              PROXY,
              IGNORED,
              "Time (in milliseconds) for a write to timeout."),
          f(
              "proxy-read-timeout",
              UINT,
              "0",
              PROXY,
              IGNORED,
              "Time (in milliseconds) for a read to timeout."),
          // Experimental
          f(
              "experimental-initial-corrupt-check",
              BOOL,
              "false",
              EXPERIMENTAL,
              STORED,
              "Enable to check data corruption before serving any client/peer traffic."),
          f(
              "experimental-corrupt-check-time",
              DURATION,
              "0s",
              EXPERIMENTAL,
              STORED,
              "Duration of time between cluster corruption check passes."),
          f(
              "experimental-enable-v2v3",
              STRING,
              "",
              EXPERIMENTAL,
              IGNORED,
              "Serve v2 requests through the v3 backend under a given prefix."),
          f(
              "experimental-backend-bbolt-freelist-type",
              STRING,
              "array",
              EXPERIMENTAL,
              IGNORED,
              "Type of freelist that boltdb backend uses (array and map are supported types)."),
          f(
              "experimental-enable-lease-checkpoint",
              BOOL,
              "false",
              EXPERIMENTAL,
              STORED,
              "Enable the primary lessor to persist lease remainingTTL."),
          f(
              "experimental-enable-lease-checkpoint-persist",
              BOOL,
              "false",
              EXPERIMENTAL,
              STORED,
              "(3.5) Enable persisting remainingTTL to prevent indefinite auto-renewal of long lived leases."),
          f(
              "experimental-compaction-batch-limit",
              UINT,
              "1000",
              EXPERIMENTAL,
              STORED,
              "Maximum revisions deleted in each compaction batch."),
          f(
              "experimental-compaction-sleep-interval",
              DURATION,
              "10ms",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Sleep interval between each compaction batch."),
          f(
              "experimental-watch-progress-notify-interval",
              DURATION,
              "10m",
              EXPERIMENTAL,
              STORED,
              "Duration of periodical watch progress notification."),
          f(
              "experimental-warning-apply-duration",
              DURATION,
              "100ms",
              EXPERIMENTAL,
              STORED,
              "Warning is generated if requests take more than this duration."),
          f(
              "experimental-warning-unary-request-duration",
              DURATION,
              "300ms",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Warning is generated if unary requests take more than this duration."),
          f(
              "experimental-stop-grpc-service-on-defrag",
              BOOL,
              "false",
              EXPERIMENTAL,
              STORED,
              "(3.5) Set gRPC health to NOT_SERVING during defragmentation."),
          f(
              "experimental-txn-mode-write-with-shared-buffer",
              BOOL,
              "true",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Enable the write transaction to use a shared buffer in its readonly check operations."),
          f(
              "experimental-memory-mlock",
              BOOL,
              "false",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Enable to enforce etcd pages to stay in RAM."),
          f(
              "experimental-bootstrap-defrag-threshold-megabytes",
              UINT,
              "0",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Minimum number of megabytes needed to be freed for etcd to defragment at boot."),
          f(
              "experimental-max-learners",
              UINT,
              "1",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Maximum number of learners in the cluster membership."),
          f(
              "experimental-snapshot-catchup-entries",
              UINT64,
              "5000",
              EXPERIMENTAL,
              STORED,
              "(3.5) Number of entries for a slow follower to catch up after compacting the raft storage."),
          f(
              "experimental-wait-cluster-ready-timeout",
              DURATION,
              "5s",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Maximum time to wait for the cluster to be ready."),
          f(
              "experimental-downgrade-check-time",
              DURATION,
              "5s",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Duration of time between two downgrade status checks."),
          f(
              "experimental-compact-hash-check-enabled",
              BOOL,
              "false",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Enable leader to periodically check followers compaction hashes."),
          f(
              "experimental-compact-hash-check-time",
              DURATION,
              "1m",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Duration of time between leader checks followers compaction hashes."),
          f(
              "experimental-enable-distributed-tracing",
              BOOL,
              "false",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Enable experimental distributed tracing using OpenTelemetry Tracing."),
          f(
              "experimental-distributed-tracing-address",
              STRING,
              "localhost:4317",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Address for distributed tracing used for OpenTelemetry Tracing."),
          f(
              "experimental-distributed-tracing-service-name",
              STRING,
              "etcd",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Configures service name for distributed tracing."),
          f(
              "experimental-distributed-tracing-instance-id",
              STRING,
              "",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Configures service instance ID for distributed tracing."),
          f(
              "experimental-distributed-tracing-sampling-rate",
              UINT,
              "0",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Number of samples to collect per million spans."),
          // Unsafe
          f(
              "force-new-cluster",
              BOOL,
              "false",
              UNSAFE,
              STORED,
              "Force to create a new one-member cluster."),
          f(
              "unsafe-no-fsync",
              BOOL,
              "false",
              UNSAFE,
              STORED,
              "(3.5) Disables fsync, unsafe, will cause data loss."),
          // To be deprecated
          f(
              "debug",
              BOOL,
              "false",
              DEPRECATED,
              STORED,
              "Enable debug-level logging for etcd. Use '--log-level=debug' instead."),
          f(
              "log-package-levels",
              STRING,
              "",
              DEPRECATED,
              IGNORED,
              "Specify a particular log level for each etcd package."),
          f(
              "log-output",
              STRING,
              "default",
              DEPRECATED,
              IGNORED,
              "[deprecated] use --log-outputs."),
          // The config file itself (handled before everything else)
          f(
              CONFIG_FILE,
              STRING,
              "",
              MEMBER,
              STORED,
              "Path to the server configuration file. If given, other flags and environment variables are ignored."));

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

  private static Flag f(
      String name, Flag.Kind kind, String def, Flag.Group group, Flag.Use use, String help) {
    return new Flag(name, kind, def, group, use, help);
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
