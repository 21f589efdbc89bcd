package io.pekkoetcd.server.config;

import static io.pekkoetcd.server.config.Flag.Group.EXPERIMENTAL;
import static io.pekkoetcd.server.config.Flag.Group.UNSAFE;
import static io.pekkoetcd.server.config.Flag.Kind.BOOL;
import static io.pekkoetcd.server.config.Flag.Kind.DURATION;
import static io.pekkoetcd.server.config.Flag.Kind.STRING;
import static io.pekkoetcd.server.config.Flag.Kind.UINT;
import static io.pekkoetcd.server.config.Flag.Kind.UINT64;
import static io.pekkoetcd.server.config.Flag.Use.IGNORED;
import static io.pekkoetcd.server.config.Flag.Use.STORED;

import java.util.List;

/**
 * etcd's "Experimental feature" flags ({@code --experimental-*}, most of them accepted and ignored)
 * and "Unsafe feature" flags ({@code --force-new-cluster}, {@code --unsafe-no-fsync}). Part of
 * {@link EtcdFlags}.
 */
final class ExperimentalFlags {

  /** The "Experimental feature" group of {@code etcd --help}, in its order. */
  static final List<Flag> EXPERIMENTAL_GROUP =
      List.of(
          new Flag(
              "experimental-initial-corrupt-check",
              BOOL,
              "false",
              EXPERIMENTAL,
              STORED,
              "Enable to check data corruption before serving any client/peer traffic."),
          new Flag(
              "experimental-corrupt-check-time",
              DURATION,
              "0s",
              EXPERIMENTAL,
              STORED,
              "Duration of time between cluster corruption check passes."),
          new Flag(
              "experimental-enable-v2v3",
              STRING,
              "",
              EXPERIMENTAL,
              IGNORED,
              "Serve v2 requests through the v3 backend under a given prefix."),
          new Flag(
              "experimental-backend-bbolt-freelist-type",
              STRING,
              "array",
              EXPERIMENTAL,
              IGNORED,
              "Type of freelist that boltdb backend uses (array and map are supported types)."),
          new Flag(
              "experimental-enable-lease-checkpoint",
              BOOL,
              "false",
              EXPERIMENTAL,
              STORED,
              "Enable the primary lessor to persist lease remainingTTL."),
          new Flag(
              "experimental-enable-lease-checkpoint-persist",
              BOOL,
              "false",
              EXPERIMENTAL,
              STORED,
              "(3.5) Enable persisting remainingTTL to prevent indefinite auto-renewal of long lived leases."),
          new Flag(
              "experimental-compaction-batch-limit",
              UINT,
              "1000",
              EXPERIMENTAL,
              STORED,
              "Maximum revisions deleted in each compaction batch."),
          new Flag(
              "experimental-compaction-sleep-interval",
              DURATION,
              "10ms",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Sleep interval between each compaction batch."),
          new Flag(
              "experimental-watch-progress-notify-interval",
              DURATION,
              "10m",
              EXPERIMENTAL,
              STORED,
              "Duration of periodical watch progress notification."),
          new Flag(
              "experimental-warning-apply-duration",
              DURATION,
              "100ms",
              EXPERIMENTAL,
              STORED,
              "Warning is generated if requests take more than this duration."),
          new Flag(
              "experimental-warning-unary-request-duration",
              DURATION,
              "300ms",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Warning is generated if unary requests take more than this duration."),
          new Flag(
              "experimental-stop-grpc-service-on-defrag",
              BOOL,
              "false",
              EXPERIMENTAL,
              STORED,
              "(3.5) Set gRPC health to NOT_SERVING during defragmentation."),
          new Flag(
              "experimental-txn-mode-write-with-shared-buffer",
              BOOL,
              "true",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Enable the write transaction to use a shared buffer in its readonly check operations."),
          new Flag(
              "experimental-memory-mlock",
              BOOL,
              "false",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Enable to enforce etcd pages to stay in RAM."),
          new Flag(
              "experimental-bootstrap-defrag-threshold-megabytes",
              UINT,
              "0",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Minimum number of megabytes needed to be freed for etcd to defragment at boot."),
          new Flag(
              "experimental-max-learners",
              UINT,
              "1",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Maximum number of learners in the cluster membership."),
          new Flag(
              "experimental-snapshot-catchup-entries",
              UINT64,
              "5000",
              EXPERIMENTAL,
              STORED,
              "(3.5) Number of entries for a slow follower to catch up after compacting the raft storage."),
          new Flag(
              "experimental-wait-cluster-ready-timeout",
              DURATION,
              "5s",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Maximum time to wait for the cluster to be ready."),
          new Flag(
              "experimental-downgrade-check-time",
              DURATION,
              "5s",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Duration of time between two downgrade status checks."),
          new Flag(
              "experimental-compact-hash-check-enabled",
              BOOL,
              "false",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Enable leader to periodically check followers compaction hashes."),
          new Flag(
              "experimental-compact-hash-check-time",
              DURATION,
              "1m",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Duration of time between leader checks followers compaction hashes."),
          new Flag(
              "experimental-enable-distributed-tracing",
              BOOL,
              "false",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Enable experimental distributed tracing using OpenTelemetry Tracing."),
          new Flag(
              "experimental-distributed-tracing-address",
              STRING,
              "localhost:4317",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Address for distributed tracing used for OpenTelemetry Tracing."),
          new Flag(
              "experimental-distributed-tracing-service-name",
              STRING,
              "etcd",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Configures service name for distributed tracing."),
          new Flag(
              "experimental-distributed-tracing-instance-id",
              STRING,
              "",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Configures service instance ID for distributed tracing."),
          new Flag(
              "experimental-distributed-tracing-sampling-rate",
              UINT,
              "0",
              EXPERIMENTAL,
              IGNORED,
              "(3.5) Number of samples to collect per million spans."));

  /** The "Unsafe feature" group of {@code etcd --help}, in its order. */
  static final List<Flag> UNSAFE_GROUP =
      List.of(
          new Flag(
              "force-new-cluster",
              BOOL,
              "false",
              UNSAFE,
              STORED,
              "Force to create a new one-member cluster."),
          new Flag(
              "unsafe-no-fsync",
              BOOL,
              "false",
              UNSAFE,
              STORED,
              "(3.5) Disables fsync, unsafe, will cause data loss."));

  private ExperimentalFlags() {}
}
