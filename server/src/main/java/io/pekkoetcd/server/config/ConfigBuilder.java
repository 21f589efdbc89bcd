package io.pekkoetcd.server.config;

import static io.pekkoetcd.server.config.TypedValues.UINT_MAX;

import io.pekkoetcd.server.config.EtcdConfig.ClusterState;
import io.pekkoetcd.server.config.EtcdConfig.CompactionMode;
import io.pekkoetcd.server.config.EtcdConfig.MetricsLevel;
import io.pekkoetcd.server.config.GoValues.BadValue;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link EtcdConfig} from the given values (command line and environment, or the config
 * file): types every flag ({@link TypedValues}, defaults for those not given), then validates as
 * etcd does ({@code etcdmain}'s verify and {@code embed.Config.Validate}, in etcd's order): URL
 * forms, election timeout vs heartbeat, the member's own entry in {@code --initial-cluster}
 * (checked only while {@code <data-dir>/member} does not exist, since etcd ignores the bootstrap
 * flags once the data dir is initialized), auto-compaction settings. Flags pekko-etcd ignores are
 * validated too, and warned about when given a non-default value.
 */
final class ConfigBuilder {

  private static final long MAX_QUOTA_BYTES = 8L * 1024 * 1024 * 1024;
  private static final long RECOMMENDED_MAX_REQUEST_BYTES = 10L * 1024 * 1024;

  private final Map<String, Given> given;
  private final TypedValues values;
  private final List<String> warnings;

  /**
   * @param given the raw values given, by flag name
   * @param warnings where to add warnings (ignored flags with non-default values, large limits)
   */
  ConfigBuilder(Map<String, Given> given, List<String> warnings) {
    this.given = given;
    this.values = new TypedValues(given);
    this.warnings = warnings;
  }

  /**
   * @param fromCommandLine whether the values came from the command line and environment (not a
   *     config file); only then is {@code --advertise-client-urls} required with {@code
   *     --listen-client-urls}
   */
  EtcdConfig build(boolean fromCommandLine) throws ConfigException {
    String name = values.string("name");
    Path dataDir = Path.of(values.isGiven("data-dir") ? values.string("data-dir") : name + ".etcd");
    String walDir = values.string("wal-dir");
    List<URI> listenClientUrls = values.urls("listen-client-urls");
    List<URI> advertiseClientUrls = values.urls("advertise-client-urls");
    List<URI> listenPeerUrls = values.urls("listen-peer-urls");
    List<URI> advertisePeerUrls = values.urls("initial-advertise-peer-urls");
    List<URI> listenMetricsUrls = values.urls("listen-metrics-urls");
    ClusterState clusterState =
        ClusterState.valueOf(
            values.choice("initial-cluster-state", "new", "existing").toUpperCase(Locale.ROOT));
    values.choice("proxy", "off", "readonly", "on");
    values.choice("discovery-fallback", "exit", "proxy");
    long heartbeat = values.unsigned("heartbeat-interval", UINT_MAX);
    long election = values.unsigned("election-timeout", UINT_MAX);
    String metrics = values.choice("metrics", "basic", "extensive");
    String logger = values.choice("logger", "zap", "capnslog");
    String logLevel =
        values.choice("log-level", "debug", "info", "warn", "error", "dpanic", "panic", "fatal");
    if (values.bool("debug") && !values.isGiven("log-level")) {
      logLevel = "debug";
    }
    String authToken = values.string("auth-token");
    if (!authToken.equals("simple") && !authToken.equals("jwt") && !authToken.startsWith("jwt,")) {
      throw values
          .givenOrDefault("auth-token")
          .invalid(EtcdFlags.get("auth-token"), "unknown token type");
    }
    long bcryptCost = values.unsigned("bcrypt-cost", UINT_MAX);
    long quota = values.int64("quota-backend-bytes");
    long maxRequestBytes = values.unsigned("max-request-bytes", UINT_MAX);

    // etcdmain's verify + embed.Config.Validate, in etcd's order.
    if (heartbeat == 0) {
      throw new ConfigException("--heartbeat-interval must be >0 (set to 0ms)");
    }
    if (election == 0) {
      throw new ConfigException("--election-timeout must be >0 (set to 0ms)");
    }
    if (5 * heartbeat > election) {
      throw new ConfigException(
          "--election-timeout["
              + election
              + "ms] should be at least as 5 times as --heartbeat-interval["
              + heartbeat
              + "ms]");
    }
    if (election > EtcdConfig.MAX_ELECTION_TIMEOUT_MS) {
      throw new ConfigException(
          "--election-timeout["
              + election
              + "ms] is too long, and should be set less than "
              + EtcdConfig.MAX_ELECTION_TIMEOUT_MS
              + "ms");
    }
    if (fromCommandLine
        && values.isGiven("listen-client-urls")
        && !values.isGiven("advertise-client-urls")) {
      throw new ConfigException(
          "--advertise-client-urls is required when --listen-client-urls is set explicitly");
    }
    if (listenClientUrls.isEmpty()) {
      throw new ConfigException("--listen-client-urls must not be empty");
    }
    if (listenPeerUrls.isEmpty() || advertisePeerUrls.isEmpty()) {
      throw new ConfigException(
          "--listen-peer-urls and --initial-advertise-peer-urls must not be empty");
    }
    if (bcryptCost < 4 || bcryptCost > 31) {
      throw new ConfigException(
          "--bcrypt-cost must be between 4 and 31 (set to " + bcryptCost + ")");
    }
    String compactionModeName = values.string("auto-compaction-mode");
    if (!compactionModeName.equals("periodic") && !compactionModeName.equals("revision")) {
      throw new ConfigException("unknown auto-compaction-mode \"" + compactionModeName + "\"");
    }
    CompactionMode compactionMode =
        CompactionMode.valueOf(compactionModeName.toUpperCase(Locale.ROOT));
    String retention = values.string("auto-compaction-retention");
    try {
      parseCompactionRetention(compactionMode, retention);
    } catch (BadValue e) {
      throw new ConfigException("error parsing CompactionRetention: " + e.getMessage());
    }
    Map<String, List<URI>> initialCluster =
        values.isGiven("initial-cluster")
            ? InitialCluster.parse(values.string("initial-cluster"))
            : Map.of(name, advertisePeerUrls);
    if (!Files.isDirectory(dataDir.resolve("member"))) {
      InitialCluster.verifyLocalMember(name, advertisePeerUrls, initialCluster, clusterState);
    }
    if (quota > MAX_QUOTA_BYTES) {
      warnings.add(
          "quota-backend-bytes " + quota + " exceeds maximum recommended quota " + MAX_QUOTA_BYTES);
    }
    if (maxRequestBytes > RECOMMENDED_MAX_REQUEST_BYTES) {
      warnings.add(
          "max-request-bytes "
              + maxRequestBytes
              + " exceeds maximum recommended size "
              + RECOMMENDED_MAX_REQUEST_BYTES);
    }
    Map<String, String> ignored = ignoredFlags();

    return new EtcdConfig(
        name,
        dataDir,
        walDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(walDir)),
        listenClientUrls,
        advertiseClientUrls,
        values.urls("listen-client-http-urls"),
        listenPeerUrls,
        advertisePeerUrls,
        listenMetricsUrls,
        initialCluster,
        clusterState,
        values.string("initial-cluster-token"),
        values.unsigned("snapshot-count", Long.MAX_VALUE),
        heartbeat,
        election,
        values.bool("initial-election-tick-advance"),
        values.bool("pre-vote"),
        values.bool("strict-reconfig-check"),
        compactionMode,
        retention,
        quota,
        maxRequestBytes,
        (int) values.unsigned("max-txn-ops", UINT_MAX),
        values.unsigned("max-concurrent-streams", 0xFFFF_FFFFL),
        values.duration("grpc-keepalive-min-time"),
        values.duration("grpc-keepalive-interval"),
        values.duration("grpc-keepalive-timeout"),
        values.bool("enable-grpc-gateway"),
        values.bool("enable-pprof"),
        MetricsLevel.valueOf(metrics.toUpperCase(Locale.ROOT)),
        logger,
        logLevel,
        values.list("log-outputs"),
        authToken,
        values.unsigned("auth-token-ttl", UINT_MAX),
        (int) bcryptCost,
        new EtcdConfig.Tls(
            values.string("cert-file"),
            values.string("key-file"),
            values.string("trusted-ca-file"),
            values.bool("client-cert-auth"),
            values.bool("auto-tls"),
            values.string("client-crl-file"),
            values.string("client-cert-allowed-hostname"),
            ""),
        new EtcdConfig.Tls(
            values.string("peer-cert-file"),
            values.string("peer-key-file"),
            values.string("peer-trusted-ca-file"),
            values.bool("peer-client-cert-auth"),
            values.bool("peer-auto-tls"),
            values.string("peer-crl-file"),
            values.string("peer-cert-allowed-hostname"),
            values.string("peer-cert-allowed-cn")),
        values.list("cipher-suites"),
        values.string("tls-min-version"),
        values.string("tls-max-version"),
        values.list("cors"),
        values.list("host-whitelist"),
        values.bool("force-new-cluster"),
        values.bool("unsafe-no-fsync"),
        values.bool("experimental-initial-corrupt-check"),
        values.duration("experimental-corrupt-check-time"),
        values.bool("experimental-enable-lease-checkpoint"),
        values.bool("experimental-enable-lease-checkpoint-persist"),
        (int) values.unsigned("experimental-compaction-batch-limit", UINT_MAX),
        values.duration("experimental-watch-progress-notify-interval"),
        values.unsigned("experimental-snapshot-catchup-entries", Long.MAX_VALUE),
        values.duration("experimental-warning-apply-duration"),
        values.bool("experimental-stop-grpc-service-on-defrag"),
        ignored);
  }

  /**
   * Validates every IGNORED flag's value like etcd would, and warns for each one given a
   * non-default value.
   */
  private Map<String, String> ignoredFlags() throws ConfigException {
    Map<String, String> ignored = new LinkedHashMap<>();
    for (Flag flag : EtcdFlags.ALL) {
      if (flag.use() != Flag.Use.IGNORED || !values.isGiven(flag.name())) {
        continue;
      }
      Object value = values.typed(flag);
      Object defaultValue = values.typedDefault(flag);
      String raw = given.get(flag.name()).value();
      ignored.put(flag.name(), raw);
      if (!value.equals(defaultValue)) {
        String why = flag.name().equals("enable-v2") ? " (pekko-etcd serves the v3 API only)" : "";
        warnings.add(
            "--"
                + flag.name()
                + "="
                + raw
                + " is accepted for etcd compatibility and ignored by pekko-etcd"
                + why);
      }
    }
    return ignored;
  }

  /**
   * etcd's {@code parseCompactionRetention}: a non-negative integer is hours (periodic) or
   * revisions (revision, returned as that many nanoseconds, as etcd does); anything else must be a
   * Go duration.
   */
  static Duration compactionRetention(CompactionMode mode, String retention) {
    try {
      return parseCompactionRetention(mode, retention);
    } catch (BadValue e) {
      throw new IllegalStateException(
          "retention was validated by the parser: " + e.getMessage(), e);
    }
  }

  private static Duration parseCompactionRetention(CompactionMode mode, String retention)
      throws BadValue {
    if (!retention.isEmpty()
        && retention.chars().allMatch(c -> c >= '0' && c <= '9')
        && retention.length() < 10) {
      long n = Long.parseLong(retention);
      return mode == CompactionMode.PERIODIC ? Duration.ofHours(n) : Duration.ofNanos(n);
    }
    return GoValues.parseDuration(retention);
  }
}
