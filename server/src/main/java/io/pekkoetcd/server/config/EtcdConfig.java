package io.pekkoetcd.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a member needs from etcd's flags, {@code ETCD_*} environment or {@code --config-file},
 * already parsed and validated by {@link EtcdConfigParser}. Immutable; lists and maps are
 * unmodifiable.
 *
 * <p>Units follow etcd: {@code heartbeatIntervalMs} and {@code electionTimeoutMs} in milliseconds,
 * sizes in bytes, {@code authTokenTtl} in seconds. URLs keep the order they were given in
 * (duplicates dropped). Paths are as given (relative ones are relative to the working directory, as
 * with etcd).
 *
 * @param name member name ({@code default})
 * @param dataDir {@code --data-dir}, default {@code <name>.etcd}
 * @param walDir {@code --wal-dir} when given; see {@link #effectiveWalDir()}
 * @param initialCluster member name → peer URLs, in the given order; derived as {@code <name>=<each
 *     initial-advertise-peer-url>} when not given
 * @param quotaBackendBytes as given: 0 means the 2 GiB default, negative disables; see {@link
 *     #effectiveQuotaBackendBytes()}
 * @param autoCompactionRetention as given ("0" = off); interpreted by {@link
 *     #autoCompactionPeriod()} and {@link #autoCompactionRevisions()}
 * @param ignoredFlags flags given explicitly that pekko-etcd accepts and ignores (name → raw value)
 */
public record EtcdConfig(
    String name,
    Path dataDir,
    Optional<Path> walDir,
    List<URI> listenClientUrls,
    List<URI> advertiseClientUrls,
    List<URI> listenClientHttpUrls,
    List<URI> listenPeerUrls,
    List<URI> initialAdvertisePeerUrls,
    List<URI> listenMetricsUrls,
    Map<String, List<URI>> initialCluster,
    ClusterState initialClusterState,
    String initialClusterToken,
    long snapshotCount,
    long heartbeatIntervalMs,
    long electionTimeoutMs,
    boolean initialElectionTickAdvance,
    boolean preVote,
    boolean strictReconfigCheck,
    CompactionMode autoCompactionMode,
    String autoCompactionRetention,
    long quotaBackendBytes,
    long maxRequestBytes,
    int maxTxnOps,
    long maxConcurrentStreams,
    Duration grpcKeepaliveMinTime,
    Duration grpcKeepaliveInterval,
    Duration grpcKeepaliveTimeout,
    boolean enableGrpcGateway,
    boolean enablePprof,
    MetricsLevel metrics,
    String logger,
    String logLevel,
    List<String> logOutputs,
    String authToken,
    long authTokenTtl,
    int bcryptCost,
    Tls clientTls,
    Tls peerTls,
    List<String> cipherSuites,
    String tlsMinVersion,
    String tlsMaxVersion,
    List<String> cors,
    List<String> hostWhitelist,
    boolean forceNewCluster,
    boolean unsafeNoFsync,
    boolean experimentalInitialCorruptCheck,
    Duration experimentalCorruptCheckTime,
    boolean experimentalEnableLeaseCheckpoint,
    boolean experimentalEnableLeaseCheckpointPersist,
    int experimentalCompactionBatchLimit,
    Duration experimentalWatchProgressNotifyInterval,
    long experimentalSnapshotCatchUpEntries,
    Duration experimentalWarningApplyDuration,
    boolean experimentalStopGrpcServiceOnDefrag,
    Map<String, String> ignoredFlags) {

  /** etcd's {@code DefaultQuotaBytes}: what {@code --quota-backend-bytes 0} means. */
  public static final long DEFAULT_QUOTA_BACKEND_BYTES = 2L * 1024 * 1024 * 1024;

  /** etcd's {@code maxElectionMs}. */
  public static final long MAX_ELECTION_TIMEOUT_MS = 50_000;

  public enum ClusterState {
    NEW,
    EXISTING
  }

  public enum CompactionMode {
    PERIODIC,
    REVISION
  }

  public enum MetricsLevel {
    BASIC,
    EXTENSIVE
  }

  /**
   * TLS settings of one side (client or peer). They apply to that side's {@code https://} listeners
   * only ({@link #clientTlsOn()}, {@link #peerTlsOn()}); on {@code http://} they are ignored with a
   * warning, as etcd does. CRL files and allowed hostnames/CNs are refused ({@link
   * UnsupportedFeatures}).
   *
   * @param allowedCn empty for the client side (etcd has no {@code --client-cert-allowed-cn} in
   *     3.4)
   */
  public record Tls(
      String certFile,
      String keyFile,
      String trustedCaFile,
      boolean clientCertAuth,
      boolean autoTls,
      String crlFile,
      String allowedHostname,
      String allowedCn) {

    /** Whether any TLS setting is given at all. */
    public boolean requested() {
      return !certFile.isEmpty()
          || !keyFile.isEmpty()
          || !trustedCaFile.isEmpty()
          || clientCertAuth
          || autoTls
          || !crlFile.isEmpty()
          || !allowedHostname.isEmpty()
          || !allowedCn.isEmpty();
    }
  }

  /** Host and port of a URL; {@code localhost} stays {@code localhost}. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  public EtcdConfig {
    listenClientUrls = List.copyOf(listenClientUrls);
    advertiseClientUrls = List.copyOf(advertiseClientUrls);
    listenClientHttpUrls = List.copyOf(listenClientHttpUrls);
    listenPeerUrls = List.copyOf(listenPeerUrls);
    initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
    listenMetricsUrls = List.copyOf(listenMetricsUrls);
    initialCluster =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(initialCluster));
    logOutputs = List.copyOf(logOutputs);
    cipherSuites = List.copyOf(cipherSuites);
    cors = List.copyOf(cors);
    hostWhitelist = List.copyOf(hostWhitelist);
    ignoredFlags =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ignoredFlags));
  }

  /**
   * The first {@code --listen-client-urls} URL as host and port: where the client (gRPC + HTTP)
   * server binds.
   */
  public HostPort clientHostPort() {
    return hostPort(listenClientUrls.get(0));
  }

  /** The first {@code --listen-peer-urls} URL: where this member's peer (Artery) endpoint binds. */
  public HostPort peerHostPort() {
    return hostPort(listenPeerUrls.get(0));
  }

  /** This member's advertised peer URL (the first {@code --initial-advertise-peer-urls}). */
  public URI peerUrl() {
    return initialAdvertisePeerUrls.get(0);
  }

  /** Host and port of any http/https/unix URL accepted by the parser. */
  public static HostPort hostPort(URI url) {
    String host = url.getHost();
    if (host == null) {
      // e.g. unix://my_socket:0 whose host is no valid DNS name: fall back on the raw authority.
      String authority = url.getRawAuthority();
      int colon = authority.lastIndexOf(':');
      return new HostPort(
          authority.substring(authority.lastIndexOf('@') + 1, colon),
          parsePort(authority.substring(colon + 1)));
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new HostPort(host, url.getPort());
  }

  private static int parsePort(String port) {
    return port.isEmpty() ? -1 : Integer.parseInt(port);
  }

  /** {@code --wal-dir} if given, else our layout's {@code <data-dir>/member/wal}. */
  public Path effectiveWalDir() {
    return walDir.orElse(dataDir.resolve("member").resolve("wal"));
  }

  /**
   * The NOSPACE threshold in bytes: 2 GiB when 0 was given; {@code Long.MAX_VALUE} (no quota) when
   * negative.
   */
  public long effectiveQuotaBackendBytes() {
    if (quotaBackendBytes == 0) {
      return DEFAULT_QUOTA_BACKEND_BYTES;
    }
    return quotaBackendBytes < 0 ? Long.MAX_VALUE : quotaBackendBytes;
  }

  /** Election timeout in heartbeat ticks (etcd's ElectionTicks; 10 by default). */
  public int electionTicks() {
    return (int) (electionTimeoutMs / heartbeatIntervalMs);
  }

  /**
   * The periodic auto-compaction retention ({@code --auto-compaction-mode periodic}): a bare number
   * means hours, otherwise a Go duration ("5m"); empty when auto compaction is off or the mode is
   * revision.
   */
  public Optional<Duration> autoCompactionPeriod() {
    if (autoCompactionMode != CompactionMode.PERIODIC) {
      return Optional.empty();
    }
    Duration period =
        ConfigBuilder.compactionRetention(autoCompactionMode, autoCompactionRetention);
    return period.isZero() ? Optional.empty() : Optional.of(period);
  }

  /**
   * The revision retention ({@code --auto-compaction-mode revision}); empty when off or periodic.
   */
  public Optional<Long> autoCompactionRevisions() {
    if (autoCompactionMode != CompactionMode.REVISION) {
      return Optional.empty();
    }
    long revisions =
        ConfigBuilder.compactionRetention(autoCompactionMode, autoCompactionRetention).toNanos();
    return revisions == 0 ? Optional.empty() : Optional.of(revisions);
  }

  /**
   * Whether the client port serves TLS: its (first, bound) {@code --listen-client-urls} URL is
   * {@code https://}. The certificate is then {@code --cert-file}/{@code --key-file}, or generated
   * with {@code --auto-tls}.
   */
  public boolean clientTlsOn() {
    return isTls(listenClientUrls.get(0));
  }

  /**
   * Whether the peer transport runs over TLS: the (first, bound) {@code --listen-peer-urls} URL is
   * {@code https://}.
   */
  public boolean peerTlsOn() {
    return isTls(listenPeerUrls.get(0));
  }

  static boolean isTls(URI url) {
    return "https".equalsIgnoreCase(url.getScheme()) || "unixs".equalsIgnoreCase(url.getScheme());
  }

  /** Whether anything asks for TLS: a TLS flag on either side or an https/unixs URL. */
  public boolean tlsRequested() {
    return clientTls.requested() || peerTls.requested() || firstTlsUrl().isPresent();
  }

  Optional<String> firstTlsUrl() {
    return java.util.stream.Stream.of(
            listenClientUrls,
            advertiseClientUrls,
            listenPeerUrls,
            initialAdvertisePeerUrls,
            listenMetricsUrls)
        .flatMap(List::stream)
        .filter(EtcdConfig::isTls)
        .map(URI::toString)
        .findFirst();
  }
}
