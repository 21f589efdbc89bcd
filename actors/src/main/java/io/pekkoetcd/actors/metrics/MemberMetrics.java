package io.pekkoetcd.actors.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * One member's metrics: a Prometheus registry per actor system (so several members in one JVM, as
 * in tests, never mix their series), holding etcd 3.4's series (names, types, labels and meanings
 * as etcd's, see docs/observability.md), pekko-etcd's per-actor series and the process and JVM
 * series.
 *
 * <p>Who writes what: counters and histograms are fed where the event happens (the Ready loop, the
 * KV actor, the peer serializer, the mailboxes), through label children bound once, so the hot path
 * allocates nothing; gauges that mirror an actor's state (leader, indexes, store size, watchers)
 * are set right before each scrape by {@code io.pekkoetcd.actors.MetricsScrape}, which asks the
 * actors for their figures, so nothing on the hot path maintains them.
 *
 * <p>A Pekko extension: {@code MemberMetrics.get(system)} from any actor, the mailboxes and the
 * serializers of the member's actor system.
 */
public final class MemberMetrics implements Extension {

  /** The extension's id: {@code MemberMetrics.ID.get(system)}. */
  public static final Id ID = new Id();

  /** Pekko's extension id for {@link MemberMetrics}. */
  public static final class Id extends AbstractExtensionId<MemberMetrics> {
    @Override
    public MemberMetrics createExtension(ExtendedActorSystem system) {
      return new MemberMetrics(
          system.settings().config().getBoolean("pekko-etcd.metrics.actor-metrics"));
    }
  }

  public static MemberMetrics get(ActorSystem system) {
    return ID.get(system);
  }

  public static MemberMetrics get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return ID.get(system.classicSystem());
  }

  /** etcd's disk histograms: 1 ms · 2^n, 14 buckets (up to 8.192 s). */
  private static final double DISK_START = 0.001;

  private static final int DISK_BUCKETS = 14;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final boolean actorMetrics;

  // --- etcd: server ---
  public final Gauge hasLeader =
      gauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.");
  public final Gauge isLeader =
      gauge(
          "etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.");
  public final Gauge isLearner =
      gauge(
          "etcd_server_is_learner",
          "Whether or not this member is a learner. 1 if is, 0 otherwise.");
  public final Counter leaderChanges =
      counter("etcd_server_leader_changes_seen_total", "The number of leader changes seen.");
  public final Gauge proposalsCommitted =
      gauge(
          "etcd_server_proposals_committed_total",
          "The total number of consensus proposals committed.");
  public final Gauge proposalsApplied =
      gauge(
          "etcd_server_proposals_applied_total",
          "The total number of consensus proposals applied.");
  public final Gauge proposalsPending =
      gauge("etcd_server_proposals_pending", "The current number of pending proposals to commit.");
  public final Counter proposalsFailed =
      counter("etcd_server_proposals_failed_total", "The total number of failed proposals seen.");
  public final Counter slowApplies =
      counter(
          "etcd_server_slow_apply_total",
          "The total number of slow apply requests (likely overloaded from slow disk).");
  public final Counter readIndexesFailed =
      counter(
          "etcd_server_read_indexes_failed_total", "The total number of failed read indexes seen.");
  public final Gauge serverId =
      Gauge.builder()
          .name("etcd_server_id")
          .help(
              "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.")
          .labelNames("server_id")
          .register(registry);
  public final Gauge serverVersion =
      Gauge.builder()
          .name("etcd_server_version")
          .help("Which version is running. 1 for 'server_version' label with current version.")
          .labelNames("server_version")
          .register(registry);
  public final Gauge clusterVersion =
      Gauge.builder()
          .name("etcd_cluster_version")
          .help(
              "Which version is running. 1 for 'cluster_version' label with current cluster version")
          .labelNames("cluster_version")
          .register(registry);
  public final Counter healthSuccess =
      counter("etcd_server_health_success", "The total number of successful health checks");
  public final Counter healthFailures =
      counter("etcd_server_health_failures", "The total number of failed health checks");

  // --- etcd: disk ---
  public final Histogram walFsync =
      diskHistogram(
          "etcd_disk_wal_fsync_duration_seconds",
          "The latency distributions of fsync called by WAL.");
  public final Histogram backendCommit =
      diskHistogram(
          "etcd_disk_backend_commit_duration_seconds",
          "The latency distributions of commit called by backend.");

  // --- etcd: mvcc ---
  public final Gauge dbTotalSize =
      gauge(
          "etcd_mvcc_db_total_size_in_bytes",
          "Total size of the underlying database physically allocated in bytes.");
  public final Gauge dbTotalSizeInUse =
      gauge(
          "etcd_mvcc_db_total_size_in_use_in_bytes",
          "Total size of the underlying database logically in use in bytes.");
  public final Gauge debuggingDbTotalSize =
      gauge(
          "etcd_debugging_mvcc_db_total_size_in_bytes",
          "Total size of the underlying database physically allocated in bytes.");
  public final Gauge keys = gauge("etcd_debugging_mvcc_keys_total", "Total number of keys.");
  public final Gauge currentRevision =
      gauge("etcd_debugging_mvcc_current_revision", "The current revision of store.");
  public final Gauge compactRevision =
      gauge(
          "etcd_debugging_mvcc_compact_revision", "The revision of the last compaction in store.");
  public final Gauge watchStreams =
      gauge("etcd_debugging_mvcc_watch_stream_total", "Total number of watch streams.");
  public final Gauge watchers =
      gauge("etcd_debugging_mvcc_watcher_total", "Total number of watchers.");
  public final Counter events =
      counter("etcd_debugging_mvcc_events_total", "Total number of events sent by this member.");
  public final Counter puts =
      counter("etcd_mvcc_put_total", "Total number of puts seen by this member.");
  public final Counter deletes =
      counter("etcd_mvcc_delete_total", "Total number of deletes seen by this member.");
  public final Counter txns =
      counter("etcd_mvcc_txn_total", "Total number of txns seen by this member.");

  // --- etcd: network ---
  private final Counter peerSent =
      Counter.builder()
          .withoutExemplars()
          .name("etcd_network_peer_sent_bytes_total")
          .help("The total number of bytes sent to peers.")
          .labelNames("To")
          .register(registry);
  private final Counter peerReceived =
      Counter.builder()
          .withoutExemplars()
          .name("etcd_network_peer_received_bytes_total")
          .help("The total number of bytes received from peers.")
          .labelNames("From")
          .register(registry);
  private final Histogram peerRoundTrip =
      Histogram.builder()
          .name("etcd_network_peer_round_trip_time_seconds")
          .help("Round-Trip-Time histogram between peers")
          .labelNames("To")
          .classicOnly()
          .withoutExemplars()
          .classicExponentialUpperBounds(0.0001, 2, 16)
          .register(registry);
  private final Map<Long, CounterDataPoint> peerSentById = new ConcurrentHashMap<>();
  private final Map<Long, CounterDataPoint> peerReceivedById = new ConcurrentHashMap<>();

  // --- gRPC (go-grpc-prometheus' names and labels, as etcd serves them) ---
  public final Counter grpcStarted =
      Counter.builder()
          .withoutExemplars()
          .name("grpc_server_started_total")
          .help("Total number of RPCs started on the server.")
          .labelNames("grpc_type", "grpc_service", "grpc_method")
          .register(registry);
  public final Counter grpcHandled =
      Counter.builder()
          .withoutExemplars()
          .name("grpc_server_handled_total")
          .help("Total number of RPCs completed on the server, regardless of success or failure.")
          .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code")
          .register(registry);
  public final Counter grpcMsgReceived =
      Counter.builder()
          .withoutExemplars()
          .name("grpc_server_msg_received_total")
          .help("Total number of RPC stream messages received on the server.")
          .labelNames("grpc_type", "grpc_service", "grpc_method")
          .register(registry);
  public final Counter grpcMsgSent =
      Counter.builder()
          .withoutExemplars()
          .name("grpc_server_msg_sent_total")
          .help("Total number of gRPC stream messages sent by the server.")
          .labelNames("grpc_type", "grpc_service", "grpc_method")
          .register(registry);

  // --- pekko-etcd: actors, persistence, cluster ---
  private final Map<String, LongAdder> mailboxDepths = new ConcurrentHashMap<>();
  private final Histogram processing =
      Histogram.builder()
          .name("pekko_etcd_actor_processing_seconds")
          .help(
              "Time an actor spent handling one message, by actor kind and message type; its _count is the messages processed.")
          .labelNames("actor", "message")
          .classicOnly()
          .withoutExemplars()
          .classicExponentialUpperBounds(0.00001, 4, 10)
          .register(registry);
  private final Counter restarts =
      Counter.builder()
          .withoutExemplars()
          .name("pekko_etcd_actor_restarts_total")
          .help("Restarts of an actor by its supervisor, by actor kind.")
          .labelNames("actor")
          .register(registry);
  private final Counter failures =
      Counter.builder()
          .withoutExemplars()
          .name("pekko_etcd_actor_failures_total")
          .help("Exceptions thrown by an actor's message handler, by actor kind.")
          .labelNames("actor")
          .register(registry);
  private final Counter deadLetters =
      Counter.builder()
          .withoutExemplars()
          .name("pekko_etcd_actor_dead_letters_total")
          .help(
              "Messages sent to an actor that no longer exists (dead letters) or dropped, by recipient actor kind.")
          .labelNames("actor")
          .register(registry);
  public final Histogram walBatchEntries =
      Histogram.builder()
          .name("pekko_etcd_persistence_write_batch_entries")
          .help("Raft entries per WAL write (one Pekko Persistence write, one fsync).")
          .classicOnly()
          .withoutExemplars()
          .classicExponentialUpperBounds(1, 2, 12)
          .register(registry);
  private final Gauge peerReachable =
      Gauge.builder()
          .name("pekko_etcd_cluster_peer_reachable")
          .help(
              "Whether Pekko Cluster's failure detector sees the peer as reachable (1) or not (0).")
          .labelNames("peer")
          .register(registry);

  private MemberMetrics(boolean actorMetrics) {
    this.actorMetrics = actorMetrics;
    GaugeWithCallback.builder()
        .name("pekko_etcd_actor_mailbox_depth")
        .help("Messages waiting in the mailboxes of the actors of one kind.")
        .labelNames("actor")
        .callback(
            cb -> mailboxDepths.forEach((kind, depth) -> cb.call(Math.max(0, depth.sum()), kind)))
        .register(registry);
    registry.register((MultiCollector) JVM::scrape);
  }

  /**
   * The process and JVM series, registered once per JVM (their collectors add listeners to the
   * JVM's MXBeans) and shown by every member's registry.
   */
  private static final PrometheusRegistry JVM = jvmRegistry();

  private static PrometheusRegistry jvmRegistry() {
    PrometheusRegistry jvm = new PrometheusRegistry();
    JvmMetrics.builder().register(jvm);
    return jvm;
  }

  /** Metrics of no actor system, that nobody scrapes (for parts made outside one, in tests). */
  public static MemberMetrics detached() {
    return new MemberMetrics(false);
  }

  /** The registry to scrape. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Whether per-actor metrics (mailbox depth, processing time) are collected. */
  public boolean actorMetrics() {
    return actorMetrics;
  }

  /** The depth counter of the mailboxes of {@code kind}, shared by every actor of that kind. */
  public LongAdder mailboxDepth(String kind) {
    return mailboxDepths.computeIfAbsent(kind, k -> new LongAdder());
  }

  /** The processing-time series of one actor kind and message type. */
  public DistributionDataPoint processing(String kind, String messageType) {
    return processing.labelValues(kind, messageType);
  }

  public CounterDataPoint restarts(String kind) {
    return restarts.labelValues(kind);
  }

  public CounterDataPoint failures(String kind) {
    return failures.labelValues(kind);
  }

  public CounterDataPoint deadLetters(String kind) {
    return deadLetters.labelValues(kind);
  }

  /** Bytes of Raft traffic sent to member {@code to} (etcd's label: the member ID in hex). */
  public void peerSent(long to, long bytes) {
    peerSentById.computeIfAbsent(to, id -> peerSent.labelValues(Long.toHexString(id))).inc(bytes);
  }

  /** Bytes of Raft traffic received from member {@code from}. */
  public void peerReceived(long from, long bytes) {
    peerReceivedById
        .computeIfAbsent(from, id -> peerReceived.labelValues(Long.toHexString(id)))
        .inc(bytes);
  }

  /** A Raft heartbeat's round trip to member {@code to} ({@code PeerRoundTrips}). */
  public void peerRoundTrip(long to, double seconds) {
    peerRoundTrip.labelValues(Long.toHexString(to)).observe(seconds);
  }

  public void peerReachable(long peer, boolean reachable) {
    peerReachable.labelValues(Long.toHexString(peer)).set(reachable ? 1 : 0);
  }

  private Gauge gauge(String name, String help) {
    return Gauge.builder().name(name).help(help).register(registry);
  }

  private Counter counter(String name, String help) {
    return Counter.builder().withoutExemplars().name(name).help(help).register(registry);
  }

  private Histogram diskHistogram(String name, String help) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .classicOnly()
        .withoutExemplars()
        .classicExponentialUpperBounds(DISK_START, 2, DISK_BUCKETS)
        .register(registry);
  }
}
