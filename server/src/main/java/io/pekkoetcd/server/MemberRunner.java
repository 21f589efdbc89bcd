package io.pekkoetcd.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.pekkoetcd.actors.ClusterJoin;
import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.actors.MemberConfig;
import io.pekkoetcd.actors.MemberIds;
import io.pekkoetcd.actors.ServerVersion;
import io.pekkoetcd.grpc.ClientServer;
import io.pekkoetcd.grpc.MetricsListener;
import io.pekkoetcd.grpc.tls.TlsSettings;
import io.pekkoetcd.server.config.EtcdConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires one member from an {@link EtcdConfig}: the actors, then the client port. */
public final class MemberRunner {
  private static final Logger log = LoggerFactory.getLogger(MemberRunner.class);

  private MemberRunner() {}

  static String versionText() {
    return "pekko-etcd Version: " + ServerVersion.SERVER + "\nAPI version: 3.5";
  }

  /**
   * Start the member and its client port; on failure log one line and exit 1. Returns only when the
   * JVM is shutting down: the calling (main, non-daemon) thread then waits for the member's actor
   * system to end, and exits 1 if it ended while the JVM was not shutting down. Waiting here, and
   * not in a callback of the terminated system, is what keeps the JVM alive until that decision:
   * with every actor system thread gone, it would otherwise end first, with exit code 0.
   */
  static void start(EtcdConfig config, List<String> warnings) {
    warnings.forEach(log::warn);
    MemberConfig member;
    try {
      member = resolve(config);
    } catch (IllegalStateException e) {
      fail(e.getMessage());
      return;
    }
    if (member.initialCluster().stream().noneMatch(p -> p.id() == member.memberId())) {
      fail(
          "--initial-cluster has no member with this member's --initial-advertise-peer-urls "
              + member.peerUrls());
    }
    EtcdConfig.HostPort client = config.clientHostPort();
    EtcdConfig.HostPort peer = config.peerHostPort();
    log.info(
        "starting member {} name={} data-dir={} client={} peer={} cluster={}",
        Long.toHexString(member.memberId()),
        member.name(),
        member.dataDir(),
        client,
        peer,
        member.initialCluster().size());
    // Watched from the moment the member exists, not only once its client port is bound: a member
    // can fail while binding (a follower whose log was lost fails on the leader's first heartbeat),
    // and then the bind never completes.
    AtomicBoolean shuttingDown = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> shuttingDown.set(true), "pekko-etcd-shutdown-flag"));
    CompletableFuture<Void> terminated = new CompletableFuture<>();
    EtcdMember.start(member, systemConfig(member, peer.host(), peer.port(), peerTls(config)))
        .thenCompose(
            m -> {
              m.system().getWhenTerminated().thenRun(() -> terminated.complete(null));
              return bindClientPort(
                  m, client.host(), client.port(), metricsListeners(config), clientTls(config));
            })
        .whenComplete(
            (running, error) -> {
              if (error != null) {
                fail("cannot start: " + rootMessage(error));
              } else {
                log.info(
                    "ready to serve client requests on {} (gRPC and HTTP{})",
                    running.binding().localAddress(),
                    config.clientTlsOn() ? ", TLS" : "");
                running
                    .metricsBindings()
                    .forEach(
                        b ->
                            log.info("serving /metrics and health checks on {}", b.localAddress()));
              }
            });
    terminated.join();
    if (!shuttingDown.get()) {
      // Its Raft node, WAL or store stopped (logged above as an ERROR): exit 1, so that systemd or
      // Kubernetes restarts it, rather than serving half an API.
      log.error("the member stopped after a failure; exiting");
      System.exit(1);
    }
  }

  /** A member with its client port (and its {@code --listen-metrics-urls} listeners) bound. */
  public record Running(
      EtcdMember member, ServerBinding binding, List<ServerBinding> metricsBindings) {
    /**
     * Unbind the client port and stop the member; completes when its actor system has terminated.
     */
    public CompletionStage<?> stop() {
      metricsBindings.forEach(ServerBinding::unbind);
      return binding.unbind().thenCompose(u -> member.stop());
    }
  }

  /** Where {@code --listen-metrics-urls} asks for listeners. */
  public static List<EtcdConfig.HostPort> metricsListeners(EtcdConfig config) {
    return config.listenMetricsUrls().stream().map(EtcdConfig::hostPort).toList();
  }

  /**
   * Start a member and bind its client port; used by {@link #start} and by tests that run a member
   * in-process.
   */
  public static CompletionStage<Running> run(
      MemberConfig member, Config systemConfig, String host, int port) {
    return run(member, systemConfig, host, port, List.of());
  }

  /** As {@link #run(MemberConfig, Config, String, int)}, with metrics listeners. */
  public static CompletionStage<Running> run(
      MemberConfig member,
      Config systemConfig,
      String host,
      int port,
      List<EtcdConfig.HostPort> metricsListeners) {
    return run(member, systemConfig, host, port, metricsListeners, Optional.empty());
  }

  /** As {@link #run(MemberConfig, Config, String, int, List)}, with the client port's TLS. */
  public static CompletionStage<Running> run(
      MemberConfig member,
      Config systemConfig,
      String host,
      int port,
      List<EtcdConfig.HostPort> metricsListeners,
      Optional<TlsSettings> clientTls) {
    return EtcdMember.start(member, systemConfig)
        .thenCompose(m -> bindClientPort(m, host, port, metricsListeners, clientTls));
  }

  /**
   * The client port's TLS: none unless its {@code --listen-client-urls} URL is {@code https://};
   * then {@code --cert-file}/{@code --key-file}, or with {@code --auto-tls} alone a self-signed
   * certificate under {@code <data-dir>/fixtures/client}, which clients cannot verify.
   */
  public static Optional<TlsSettings> clientTls(EtcdConfig c) {
    if (!c.clientTlsOn()) {
      return Optional.empty();
    }
    return Optional.of(
        TlsFromFlags.settings(
            c.clientTls(),
            c.cipherSuites(),
            c.dataDir().resolve("fixtures").resolve("client"),
            c.listenClientUrls()));
  }

  /**
   * Bind the client port and the metrics listeners of a started member; if that (or the initial
   * corruption check) fails, the member is stopped, and the failure completes once it has stopped
   * (its peer port is free again).
   */
  private static CompletionStage<Running> bindClientPort(
      EtcdMember m,
      String host,
      int port,
      List<EtcdConfig.HostPort> metricsListeners,
      Optional<TlsSettings> clientTls) {
    // etcd's --experimental-initial-corrupt-check: peers are served, clients not yet
    CompletionStage<List<ServerBinding>> metrics =
        m.initialCorruptCheck().thenApply(checked -> new java.util.ArrayList<>());
    for (EtcdConfig.HostPort l : metricsListeners) {
      metrics =
          metrics.thenCompose(
              bound ->
                  MetricsListener.bind(m, l.host(), l.port())
                      .thenApply(
                          b -> {
                            bound.add(b);
                            return bound;
                          }));
    }
    return metrics
        .thenCompose(
            bound ->
                ClientServer.bind(m, host, port, clientTls)
                    .thenApply(b -> new Running(m, b, bound)))
        .handle(
            (r, e) ->
                e == null
                    ? CompletableFuture.completedFuture(r)
                    : m.stop().thenCompose(stopped -> CompletableFuture.<Running>failedFuture(e)))
        .thenCompose(r -> r);
  }

  /**
   * The member's configuration: from etcd's flags, or, for a member that joined a running cluster,
   * from what its peers told it then ({@code member/join.pb}). A member started with {@code
   * --initial-cluster-state existing} and an empty data dir joins now: it asks the other members of
   * {@code --initial-cluster} for the membership and must find itself in it (added with MemberAdd).
   *
   * @throws IllegalStateException when the join fails (etcd's wording)
   */
  public static MemberConfig resolve(EtcdConfig config) {
    MemberConfig member = memberConfig(config);
    java.util.Optional<ClusterJoin.Joined> joined = ClusterJoin.read(member.dataDir());
    if (joined.isEmpty()
        && config.initialClusterState() == EtcdConfig.ClusterState.EXISTING
        && isEmptyDir(member.walDir())) {
      List<String> others =
          member.initialCluster().stream()
              .filter(p -> !p.peerUrls().equals(member.peerUrls()))
              .flatMap(p -> p.peerUrls().stream())
              .toList();
      ClusterJoin.Joined j =
          ClusterJoin.ask(
              PeerSslEngineProvider.config(peerTls(config)).withFallback(ConfigFactory.load()),
              URI.create(member.peerUrls().get(0)).getHost(),
              others,
              member.peerUrls(),
              Duration.ofSeconds(5));
      log.info(
          "joining cluster {} as member {}: {}",
          Long.toHexString(j.clusterId()),
          Long.toHexString(j.memberId()),
          j.members());
      ClusterJoin.write(member.dataDir(), j);
      joined = java.util.Optional.of(j);
    }
    return joined.map(j -> joinedConfig(member, j)).orElse(member);
  }

  /** A joined member: its ID, cluster and membership as its peers told it; no log to bootstrap. */
  static MemberConfig joinedConfig(MemberConfig m, ClusterJoin.Joined j) {
    List<MemberConfig.Peer> cluster =
        j.members().list().stream()
            .map(
                p ->
                    new MemberConfig.Peer(
                        p.getID(), p.getID() == j.memberId() ? m.name() : "", p.getPeerURLsList()))
            .toList();
    return new MemberConfig(
        m.name(),
        j.memberId(),
        j.clusterId(),
        m.peerUrls(),
        m.clientUrls(),
        m.dataDir(),
        m.snapshotCount(),
        m.snapshotCatchUpEntries(),
        m.maxTxnOps(),
        m.maxRequestBytes(),
        m.requestTimeout(),
        m.maxPendingProposals(),
        List.of(),
        m.heartbeatInterval(),
        m.electionTicks(),
        m.raftSeed(),
        m.watchProgressNotifyInterval(),
        cluster,
        m.leaseCheckpointInterval(),
        m.maintenance(),
        m.auth());
  }

  public static MemberConfig memberConfig(EtcdConfig c) {
    String token = c.initialClusterToken();
    Map<String, List<String>> cluster = new LinkedHashMap<>();
    c.initialCluster()
        .forEach((name, urls) -> cluster.put(name, urls.stream().map(URI::toString).toList()));
    List<String> peerUrls = c.initialAdvertisePeerUrls().stream().map(URI::toString).toList();
    List<MemberConfig.Peer> initialCluster =
        cluster.entrySet().stream()
            .map(
                e ->
                    new MemberConfig.Peer(
                        MemberIds.memberId(e.getValue(), token), e.getKey(), e.getValue()))
            .toList();
    return new MemberConfig(
        c.name(),
        MemberIds.memberId(peerUrls, token),
        MemberIds.clusterId(cluster, token),
        peerUrls,
        c.advertiseClientUrls().stream().map(URI::toString).toList(),
        c.dataDir().toAbsolutePath(),
        c.snapshotCount(),
        c.experimentalSnapshotCatchUpEntries(),
        c.maxTxnOps(),
        c.maxRequestBytes(),
        // etcd's request timeout: 5 s + 2 × election timeout.
        Duration.ofMillis(5_000 + 2 * c.electionTimeoutMs()),
        10_000,
        cluster.values().stream()
            .mapToLong(urls -> MemberIds.memberId(urls, token))
            .boxed()
            .toList(),
        Duration.ofMillis(c.heartbeatIntervalMs()),
        c.electionTicks(),
        System.nanoTime(),
        c.experimentalWatchProgressNotifyInterval(),
        initialCluster,
        // etcd's lessor checkpoints every 5 min (defaultLeaseCheckpointInterval) when enabled
        c.experimentalEnableLeaseCheckpoint() ? Duration.ofMinutes(5) : Duration.ZERO,
        new MemberConfig.Maintenance(
            c.effectiveQuotaBackendBytes(),
            c.autoCompactionPeriod().orElse(Duration.ZERO),
            c.autoCompactionRevisions().orElse(0L),
            c.experimentalInitialCorruptCheck(),
            c.experimentalCorruptCheckTime()),
        new MemberConfig.Auth(c.authToken(), Duration.ofSeconds(c.authTokenTtl()), c.bcryptCost()));
  }

  /**
   * The peer transport's TLS: none unless its {@code --listen-peer-urls} URL is {@code https://};
   * then {@code --peer-cert-file}/{@code --peer-key-file} with {@code --peer-trusted-ca-file} and
   * {@code --peer-client-cert-auth}, or with {@code --peer-auto-tls} alone a self-signed
   * certificate under {@code <data-dir>/fixtures/peer}. Every member of a cluster must agree: a
   * plaintext member and a TLS member cannot talk.
   */
  public static Optional<TlsSettings> peerTls(EtcdConfig c) {
    if (!c.peerTlsOn()) {
      return Optional.empty();
    }
    return Optional.of(
        TlsFromFlags.settings(
            c.peerTls(),
            c.cipherSuites(),
            c.dataDir().resolve("fixtures").resolve("peer"),
            c.listenPeerUrls()));
  }

  /**
   * {@link #systemConfig(MemberConfig, String, int)}, with the peer transport over TLS when {@code
   * peerTls} is given (Artery {@code tls-tcp}, {@link PeerSslEngineProvider}).
   */
  public static Config systemConfig(
      MemberConfig member, String bindHost, int bindPort, Optional<TlsSettings> peerTls) {
    return PeerSslEngineProvider.config(peerTls)
        .withFallback(systemConfig(member, bindHost, bindPort));
  }

  /**
   * {@link #systemConfig(MemberConfig, String, int)} binding the peer endpoint where it is
   * advertised.
   */
  public static Config systemConfig(MemberConfig member) {
    URI advertised = URI.create(member.peerUrls().get(0));
    return systemConfig(member, advertised.getHost(), advertised.getPort());
  }

  /**
   * The actor system's configuration for {@code member}: WAL and snapshot directories under its
   * data dir; the peer endpoint (Artery) known to peers by the advertised peer URL and bound on
   * {@code bindHost:bindPort} (from --listen-peer-urls); every member of the initial cluster as a
   * seed node, in --initial-cluster order on every member, so that only the first can start a new
   * Pekko cluster by itself (the others join it or each other).
   */
  public static Config systemConfig(MemberConfig member, String bindHost, int bindPort) {
    URI advertised = URI.create(member.peerUrls().get(0));
    List<String> seeds =
        member.initialCluster().stream()
            .map(p -> io.pekkoetcd.actors.PeerTransport.peerAddress(p.peerUrls().get(0)).toString())
            .toList();
    // One MsgApp: up to 1 MiB of entries plus one entry as large as --max-request-bytes, plus
    // framing.
    long frame = Math.max(4L << 20, (1L << 20) + member.maxRequestBytes() + (256L << 10));
    try {
      Files.createDirectories(member.walDir());
      Files.createDirectories(member.snapDir());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot create " + member.dataDir() + ": " + e.getMessage(), e);
    }
    return ConfigFactory.empty()
        .withValue(
            "pekko.remote.artery.canonical.hostname",
            ConfigValueFactory.fromAnyRef(advertised.getHost()))
        .withValue(
            "pekko.remote.artery.canonical.port",
            ConfigValueFactory.fromAnyRef(advertised.getPort()))
        .withValue("pekko.remote.artery.bind.hostname", ConfigValueFactory.fromAnyRef(bindHost))
        .withValue("pekko.remote.artery.bind.port", ConfigValueFactory.fromAnyRef(bindPort))
        // Outbound connections leave from this member's own address (not 127.0.0.1), so that
        // firewall rules
        // between member addresses (partition tests, STACK.md) match its traffic.
        .withValue(
            "pekko.remote.artery.advanced.tcp.outbound-client-hostname",
            ConfigValueFactory.fromAnyRef(advertised.getHost()))
        .withValue(
            "pekko.remote.artery.advanced.maximum-frame-size", ConfigValueFactory.fromAnyRef(frame))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
        // etcd's gRPC receive limit: --max-request-bytes plus 512 KiB of slack for the envelope.
        .withValue(
            "pekko.http.server.parsing.max-content-length",
            ConfigValueFactory.fromAnyRef(member.maxRequestBytes() + 512 * 1024))
        .withValue(
            "pekko.persistence.journal.leveldb.dir",
            ConfigValueFactory.fromAnyRef(member.walDir().toString()))
        .withValue(
            "pekko.persistence.snapshot-store.local.dir",
            ConfigValueFactory.fromAnyRef(member.snapDir().toString()))
        .withFallback(ConfigFactory.load());
  }

  private static boolean isEmptyDir(Path dir) {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (java.io.IOException e) {
      return false; // let the WAL report what is wrong with it
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static void fail(String message) {
    log.error(message);
    System.err.println("pekko-etcd: " + message);
    System.exit(1);
  }
}
