package io.pekkoetcd.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.server.config.EtcdConfig.ClusterState;
import io.pekkoetcd.server.config.EtcdConfig.CompactionMode;
import io.pekkoetcd.server.config.EtcdConfig.HostPort;
import io.pekkoetcd.server.config.EtcdConfig.MetricsLevel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EtcdConfigParserTest {

  // ---------------------------------------------------------------------------------------------------------
  // helpers

  private static ParseResult.Run run(Map<String, String> env, String... args)
      throws ConfigException {
    ParseResult result = EtcdConfigParser.parse(args, env, false);
    assertThat(result).isInstanceOf(ParseResult.Run.class);
    return (ParseResult.Run) result;
  }

  private static EtcdConfig config(String... args) throws ConfigException {
    return run(Map.of(), args).config();
  }

  private static String error(Map<String, String> env, String... args) {
    try {
      EtcdConfigParser.parse(args, env);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for " + List.of(args) + " " + env);
  }

  private static List<URI> urls(String... urls) {
    return Stream.of(urls).map(URI::create).toList();
  }

  private static Arguments row(Object... values) {
    return Arguments.of(values);
  }

  // ---------------------------------------------------------------------------------------------------------
  // defaults: etcd 3.4.23's `etcd --help` (3.5's for pre-vote and logger)

  static Stream<Arguments> defaults() {
    return Stream.of(
        row("name", (Function<EtcdConfig, Object>) EtcdConfig::name, "default"),
        row(
            "data-dir",
            (Function<EtcdConfig, Object>) EtcdConfig::dataDir,
            Path.of("default.etcd")),
        row("wal-dir", (Function<EtcdConfig, Object>) EtcdConfig::walDir, Optional.empty()),
        row(
            "listen-client-urls",
            (Function<EtcdConfig, Object>) EtcdConfig::listenClientUrls,
            urls("http://localhost:2379")),
        row(
            "advertise-client-urls",
            (Function<EtcdConfig, Object>) EtcdConfig::advertiseClientUrls,
            urls("http://localhost:2379")),
        row(
            "listen-peer-urls",
            (Function<EtcdConfig, Object>) EtcdConfig::listenPeerUrls,
            urls("http://localhost:2380")),
        row(
            "initial-advertise-peer-urls",
            (Function<EtcdConfig, Object>) EtcdConfig::initialAdvertisePeerUrls,
            urls("http://localhost:2380")),
        row(
            "listen-metrics-urls",
            (Function<EtcdConfig, Object>) EtcdConfig::listenMetricsUrls,
            List.of()),
        row(
            "initial-cluster",
            (Function<EtcdConfig, Object>) EtcdConfig::initialCluster,
            Map.of("default", urls("http://localhost:2380"))),
        row(
            "initial-cluster-state",
            (Function<EtcdConfig, Object>) EtcdConfig::initialClusterState,
            ClusterState.NEW),
        row(
            "initial-cluster-token",
            (Function<EtcdConfig, Object>) EtcdConfig::initialClusterToken,
            "etcd-cluster"),
        row("snapshot-count", (Function<EtcdConfig, Object>) EtcdConfig::snapshotCount, 100_000L),
        row(
            "heartbeat-interval",
            (Function<EtcdConfig, Object>) EtcdConfig::heartbeatIntervalMs,
            100L),
        row(
            "election-timeout",
            (Function<EtcdConfig, Object>) EtcdConfig::electionTimeoutMs,
            1000L),
        row("election ticks", (Function<EtcdConfig, Object>) EtcdConfig::electionTicks, 10),
        row(
            "initial-election-tick-advance",
            (Function<EtcdConfig, Object>) EtcdConfig::initialElectionTickAdvance,
            true),
        row("pre-vote", (Function<EtcdConfig, Object>) EtcdConfig::preVote, true),
        row(
            "strict-reconfig-check",
            (Function<EtcdConfig, Object>) EtcdConfig::strictReconfigCheck,
            true),
        row(
            "auto-compaction-mode",
            (Function<EtcdConfig, Object>) EtcdConfig::autoCompactionMode,
            CompactionMode.PERIODIC),
        row(
            "auto-compaction-retention",
            (Function<EtcdConfig, Object>) EtcdConfig::autoCompactionRetention,
            "0"),
        row(
            "auto compaction off",
            (Function<EtcdConfig, Object>) EtcdConfig::autoCompactionPeriod,
            Optional.empty()),
        row(
            "quota-backend-bytes",
            (Function<EtcdConfig, Object>) EtcdConfig::quotaBackendBytes,
            0L),
        row(
            "effective quota",
            (Function<EtcdConfig, Object>) EtcdConfig::effectiveQuotaBackendBytes,
            2_147_483_648L),
        row(
            "max-request-bytes",
            (Function<EtcdConfig, Object>) EtcdConfig::maxRequestBytes,
            1_572_864L),
        row("max-txn-ops", (Function<EtcdConfig, Object>) EtcdConfig::maxTxnOps, 128),
        row(
            "max-concurrent-streams",
            (Function<EtcdConfig, Object>) EtcdConfig::maxConcurrentStreams,
            4_294_967_295L),
        row(
            "grpc-keepalive-min-time",
            (Function<EtcdConfig, Object>) EtcdConfig::grpcKeepaliveMinTime,
            Duration.ofSeconds(5)),
        row(
            "grpc-keepalive-interval",
            (Function<EtcdConfig, Object>) EtcdConfig::grpcKeepaliveInterval,
            Duration.ofHours(2)),
        row(
            "grpc-keepalive-timeout",
            (Function<EtcdConfig, Object>) EtcdConfig::grpcKeepaliveTimeout,
            Duration.ofSeconds(20)),
        row(
            "enable-grpc-gateway",
            (Function<EtcdConfig, Object>) EtcdConfig::enableGrpcGateway,
            true),
        row("enable-pprof", (Function<EtcdConfig, Object>) EtcdConfig::enablePprof, false),
        row("metrics", (Function<EtcdConfig, Object>) EtcdConfig::metrics, MetricsLevel.BASIC),
        row("logger", (Function<EtcdConfig, Object>) EtcdConfig::logger, "zap"),
        row("log-level", (Function<EtcdConfig, Object>) EtcdConfig::logLevel, "info"),
        row(
            "log-outputs",
            (Function<EtcdConfig, Object>) EtcdConfig::logOutputs,
            List.of("default")),
        row("auth-token", (Function<EtcdConfig, Object>) EtcdConfig::authToken, "simple"),
        row("auth-token-ttl", (Function<EtcdConfig, Object>) EtcdConfig::authTokenTtl, 300L),
        row("bcrypt-cost", (Function<EtcdConfig, Object>) EtcdConfig::bcryptCost, 10),
        row("tls requested", (Function<EtcdConfig, Object>) EtcdConfig::tlsRequested, false),
        row("tls-min-version", (Function<EtcdConfig, Object>) EtcdConfig::tlsMinVersion, "TLS1.2"),
        row("cors", (Function<EtcdConfig, Object>) EtcdConfig::cors, List.of("*")),
        row(
            "host-whitelist",
            (Function<EtcdConfig, Object>) EtcdConfig::hostWhitelist,
            List.of("*")),
        row("force-new-cluster", (Function<EtcdConfig, Object>) EtcdConfig::forceNewCluster, false),
        row(
            "experimental-watch-progress-notify-interval",
            (Function<EtcdConfig, Object>) EtcdConfig::experimentalWatchProgressNotifyInterval,
            Duration.ofMinutes(10)),
        row(
            "experimental-compaction-batch-limit",
            (Function<EtcdConfig, Object>) EtcdConfig::experimentalCompactionBatchLimit,
            1000),
        row(
            "experimental-warning-apply-duration",
            (Function<EtcdConfig, Object>) EtcdConfig::experimentalWarningApplyDuration,
            Duration.ofMillis(100)),
        row(
            "clientHostPort",
            (Function<EtcdConfig, Object>) EtcdConfig::clientHostPort,
            new HostPort("localhost", 2379)),
        row(
            "peerHostPort",
            (Function<EtcdConfig, Object>) EtcdConfig::peerHostPort,
            new HostPort("localhost", 2380)),
        row(
            "peerUrl",
            (Function<EtcdConfig, Object>) EtcdConfig::peerUrl,
            URI.create("http://localhost:2380")),
        row(
            "effective wal dir",
            (Function<EtcdConfig, Object>) EtcdConfig::effectiveWalDir,
            Path.of("default.etcd", "member", "wal")),
        row("ignored flags", (Function<EtcdConfig, Object>) EtcdConfig::ignoredFlags, Map.of()));
  }

  @ParameterizedTest(name = "default {0}")
  @MethodSource
  void defaults(String what, Function<EtcdConfig, Object> accessor, Object expected)
      throws ConfigException {
    ParseResult.Run run = run(Map.of());
    assertThat(accessor.apply(run.config())).isEqualTo(expected);
    assertThat(run.warnings()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------------
  // every flag form

  static Stream<Arguments> flagForms() {
    Function<EtcdConfig, Object> name = EtcdConfig::name;
    Function<EtcdConfig, Object> pprof = EtcdConfig::enablePprof;
    Function<EtcdConfig, Object> gateway = EtcdConfig::enableGrpcGateway;
    Function<EtcdConfig, Object> snapshot = EtcdConfig::snapshotCount;
    return Stream.of(
        row(List.of("--name", "infra1"), name, "infra1"),
        row(List.of("--name=infra1"), name, "infra1"),
        row(List.of("-name", "infra1"), name, "infra1"),
        row(List.of("-name=infra1"), name, "infra1"),
        row(List.of("--name", "a", "--name", "b"), name, "b"),
        row(List.of("--enable-pprof"), pprof, true),
        row(List.of("--enable-pprof=true"), pprof, true),
        row(List.of("--enable-pprof=false"), pprof, false),
        row(List.of("-enable-pprof"), pprof, true),
        row(List.of("--enable-pprof=1"), pprof, true),
        row(List.of("--enable-pprof=F"), pprof, false),
        row(List.of("--enable-grpc-gateway=false"), gateway, false),
        row(List.of("--enable-pprof", "--name", "x"), name, "x"),
        row(List.of("--snapshot-count", "5000"), snapshot, 5000L),
        row(List.of("--snapshot-count=5000"), snapshot, 5000L),
        row(
            List.of("--data-dir", "/var/lib/etcd"),
            (Function<EtcdConfig, Object>) EtcdConfig::dataDir,
            Path.of("/var/lib/etcd")),
        row(
            List.of("--name", "infra1"),
            (Function<EtcdConfig, Object>) EtcdConfig::dataDir,
            Path.of("infra1.etcd")),
        row(
            List.of("--wal-dir", "/wal"),
            (Function<EtcdConfig, Object>) EtcdConfig::effectiveWalDir,
            Path.of("/wal")),
        row(
            List.of(
                "--listen-client-urls",
                "http://127.0.0.1:2379,http://10.0.0.1:2379",
                "--advertise-client-urls",
                "http://10.0.0.1:2379"),
            (Function<EtcdConfig, Object>) EtcdConfig::listenClientUrls,
            urls("http://127.0.0.1:2379", "http://10.0.0.1:2379")),
        row(
            List.of(
                "--listen-client-urls",
                "http://0.0.0.0:12379",
                "--advertise-client-urls",
                "http://127.0.0.1:12379"),
            (Function<EtcdConfig, Object>) EtcdConfig::clientHostPort,
            new HostPort("0.0.0.0", 12379)),
        row(
            List.of(
                "--listen-client-urls",
                "unix://localhost:2379",
                "--advertise-client-urls",
                "unix://localhost:2379"),
            (Function<EtcdConfig, Object>) EtcdConfig::clientHostPort,
            new HostPort("localhost", 2379)),
        row(
            List.of("--listen-peer-urls", "http://[::1]:2380"),
            (Function<EtcdConfig, Object>) EtcdConfig::peerHostPort,
            new HostPort("::1", 2380)),
        row(
            List.of("--heartbeat-interval", "50", "--election-timeout", "500"),
            (Function<EtcdConfig, Object>) EtcdConfig::electionTicks,
            10),
        row(
            List.of("--initial-cluster-state", "existing"),
            (Function<EtcdConfig, Object>) EtcdConfig::initialClusterState,
            ClusterState.EXISTING),
        row(
            List.of("--auto-compaction-retention", "1"),
            (Function<EtcdConfig, Object>) EtcdConfig::autoCompactionPeriod,
            Optional.of(Duration.ofHours(1))),
        row(
            List.of("--auto-compaction-retention", "5m"),
            (Function<EtcdConfig, Object>) EtcdConfig::autoCompactionPeriod,
            Optional.of(Duration.ofMinutes(5))),
        row(
            List.of("--auto-compaction-mode", "revision", "--auto-compaction-retention", "1000"),
            (Function<EtcdConfig, Object>) EtcdConfig::autoCompactionRevisions,
            Optional.of(1000L)),
        row(
            List.of("--quota-backend-bytes", "8589934592"),
            (Function<EtcdConfig, Object>) EtcdConfig::effectiveQuotaBackendBytes,
            8_589_934_592L),
        row(
            List.of("--quota-backend-bytes", "-1"),
            (Function<EtcdConfig, Object>) EtcdConfig::effectiveQuotaBackendBytes,
            Long.MAX_VALUE),
        row(
            List.of("--grpc-keepalive-min-time", "1h30m"),
            (Function<EtcdConfig, Object>) EtcdConfig::grpcKeepaliveMinTime,
            Duration.ofMinutes(90)),
        row(
            List.of("--experimental-watch-progress-notify-interval", "100ms"),
            (Function<EtcdConfig, Object>) EtcdConfig::experimentalWatchProgressNotifyInterval,
            Duration.ofMillis(100)),
        row(
            List.of("--metrics", "extensive"),
            (Function<EtcdConfig, Object>) EtcdConfig::metrics,
            MetricsLevel.EXTENSIVE),
        row(List.of("--debug"), (Function<EtcdConfig, Object>) EtcdConfig::logLevel, "debug"),
        row(
            List.of("--debug", "--log-level", "warn"),
            (Function<EtcdConfig, Object>) EtcdConfig::logLevel,
            "warn"),
        row(
            List.of("--log-outputs", "stderr,/var/log/etcd.log"),
            (Function<EtcdConfig, Object>) EtcdConfig::logOutputs,
            List.of("stderr", "/var/log/etcd.log")),
        row(
            List.of("--cert-file", "s.crt", "--key-file", "s.key", "--client-cert-auth"),
            (Function<EtcdConfig, Object>)
                c ->
                    List.of(
                        c.clientTls().certFile(),
                        c.clientTls().keyFile(),
                        c.clientTls().clientCertAuth(),
                        c.tlsRequested()),
            List.of("s.crt", "s.key", true, true)),
        row(
            List.of("--peer-trusted-ca-file", "ca.crt", "--peer-cert-allowed-cn", "etcd"),
            (Function<EtcdConfig, Object>)
                c ->
                    List.of(
                        c.peerTls().trustedCaFile(),
                        c.peerTls().allowedCn(),
                        c.clientTls().requested()),
            List.of("ca.crt", "etcd", false)),
        row(
            List.of("--max-wals", "10", "--enable-v2"),
            (Function<EtcdConfig, Object>) EtcdConfig::ignoredFlags,
            Map.of("max-wals", "10", "enable-v2", "true")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void flagForms(List<String> args, Function<EtcdConfig, Object> accessor, Object expected)
      throws ConfigException {
    assertThat(accessor.apply(config(args.toArray(String[]::new)))).isEqualTo(expected);
  }

  // ---------------------------------------------------------------------------------------------------------
  // environment

  static Stream<Arguments> environment() {
    return Stream.of(
        row(
            Map.of("ETCD_NAME", "infra2"),
            (Function<EtcdConfig, Object>) EtcdConfig::name,
            "infra2"),
        row(
            Map.of("ETCD_DATA_DIR", "/data"),
            (Function<EtcdConfig, Object>) EtcdConfig::dataDir,
            Path.of("/data")),
        row(
            Map.of("ETCD_SNAPSHOT_COUNT", "10"),
            (Function<EtcdConfig, Object>) EtcdConfig::snapshotCount,
            10L),
        row(
            Map.of("ETCD_ENABLE_PPROF", "true"),
            (Function<EtcdConfig, Object>) EtcdConfig::enablePprof,
            true),
        row(
            Map.of(
                "ETCD_LISTEN_CLIENT_URLS",
                "http://127.0.0.1:22379",
                "ETCD_ADVERTISE_CLIENT_URLS",
                "http://127.0.0.1:22379"),
            (Function<EtcdConfig, Object>) EtcdConfig::clientHostPort,
            new HostPort("127.0.0.1", 22379)),
        row(
            Map.of("ETCD_INITIAL_CLUSTER", "default=http://localhost:2380,b=http://10.0.0.2:2380"),
            (Function<EtcdConfig, Object>) c -> c.initialCluster().keySet(),
            java.util.Set.of("default", "b")),
        row(
            Map.of("ETCD_GRPC_KEEPALIVE_TIMEOUT", "3s"),
            (Function<EtcdConfig, Object>) EtcdConfig::grpcKeepaliveTimeout,
            Duration.ofSeconds(3)),
        // etcd only takes non-empty variables.
        row(Map.of("ETCD_NAME", ""), (Function<EtcdConfig, Object>) EtcdConfig::name, "default"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void environment(Map<String, String> env, Function<EtcdConfig, Object> accessor, Object expected)
      throws ConfigException {
    assertThat(accessor.apply(run(env).config())).isEqualTo(expected);
  }

  @Test
  void flagAndEnvironmentTogether() throws ConfigException {
    EtcdConfig config = run(Map.of("ETCD_SNAPSHOT_COUNT", "7"), "--name", "n1").config();
    assertThat(config.name()).isEqualTo("n1");
    assertThat(config.snapshotCount()).isEqualTo(7);
  }

  @Test
  void unknownEtcdVariablesAreWarningsOnly() throws ConfigException {
    ParseResult.Run run =
        run(
            Map.of(
                "ETCD_FOO",
                "1",
                "ETCD_NAME",
                "",
                "ETCDCTL_API",
                "3",
                "HOME",
                "/root",
                "ETCD_UNSUPPORTED_ARCH",
                "arm64"));
    assertThat(run.warnings())
        .containsExactly(
            "unrecognized environment variable ETCD_FOO=1",
            "unrecognized environment variable ETCD_NAME=");
  }

  @Test
  void ignoredFlagsWarnOnlyWhenChangedFromDefault() throws ConfigException {
    ParseResult.Run run =
        run(Map.of(), "--max-wals", "10", "--max-snapshots", "5", "--enable-v2=true");
    assertThat(run.warnings())
        .containsExactly(
            "--max-wals=10 is accepted for etcd compatibility and ignored by pekko-etcd",
            "--enable-v2=true is accepted for etcd compatibility and ignored by pekko-etcd"
                + " (pekko-etcd serves the v3 API only)");
  }

  @Test
  void largeQuotaWarnsLikeEtcd() throws ConfigException {
    assertThat(run(Map.of(), "--quota-backend-bytes", "10737418240").warnings())
        .containsExactly(
            "quota-backend-bytes 10737418240 exceeds maximum recommended quota 8589934592");
  }

  // ---------------------------------------------------------------------------------------------------------
  // initial-cluster derivation and checks

  @Test
  void initialClusterIsDerivedFromNameAndAdvertisedPeerUrls() throws ConfigException {
    EtcdConfig config =
        config(
            "--name",
            "infra1",
            "--listen-peer-urls",
            "http://127.0.0.1:12380",
            "--initial-advertise-peer-urls",
            "http://127.0.0.1:12380,http://10.0.0.1:12380");
    assertThat(config.initialCluster())
        .containsExactly(
            Map.entry("infra1", urls("http://127.0.0.1:12380", "http://10.0.0.1:12380")));
    assertThat(config.peerUrl()).isEqualTo(URI.create("http://127.0.0.1:12380"));
  }

  @Test
  void etcdProcfileMemberStartsUnchanged() throws ConfigException {
    // etcd's own Procfile line for infra1 (deploy/local-cluster.sh uses the same ports).
    ParseResult.Run run =
        run(
            Map.of(),
            ("--name infra1 --listen-client-urls http://127.0.0.1:2379"
                    + " --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:12380"
                    + " --initial-advertise-peer-urls http://127.0.0.1:12380 --initial-cluster-token etcd-cluster-1"
                    + " --initial-cluster infra1=http://127.0.0.1:12380,infra2=http://127.0.0.1:22380,"
                    + "infra3=http://127.0.0.1:32380 --initial-cluster-state new --enable-pprof --logger=zap"
                    + " --log-outputs=stderr")
                .split(" "));
    EtcdConfig config = run.config();
    assertThat(run.warnings()).isEmpty();
    assertThat(config.dataDir()).isEqualTo(Path.of("infra1.etcd"));
    assertThat(config.clientHostPort()).isEqualTo(new HostPort("127.0.0.1", 2379));
    assertThat(config.peerHostPort()).isEqualTo(new HostPort("127.0.0.1", 12380));
    assertThat(config.initialCluster()).containsOnlyKeys("infra1", "infra2", "infra3");
    assertThat(config.initialClusterToken()).isEqualTo("etcd-cluster-1");
    assertThat(config.enablePprof()).isTrue();
  }

  @Test
  void explicitInitialClusterKeepsOrderAndGroupsUrlsByName() throws ConfigException {
    EtcdConfig config =
        config(
            "--name",
            "infra2",
            "--initial-advertise-peer-urls",
            "http://127.0.0.1:22380",
            "--initial-cluster",
            "infra1=http://127.0.0.1:12380,infra2=http://127.0.0.1:22380,infra3=http://127.0.0.1:32380");
    assertThat(config.initialCluster())
        .containsExactly(
            Map.entry("infra1", urls("http://127.0.0.1:12380")),
            Map.entry("infra2", urls("http://127.0.0.1:22380")),
            Map.entry("infra3", urls("http://127.0.0.1:32380")));
  }

  @Test
  void advertisedPeerUrlsMatchInAnyOrder() throws ConfigException {
    EtcdConfig config =
        config(
            "--initial-advertise-peer-urls",
            "http://localhost:2380,http://127.0.0.1:2380",
            "--initial-cluster",
            "default=http://127.0.0.1:2380,default=http://localhost:2380");
    assertThat(config.initialCluster().get("default")).hasSize(2);
  }

  @Test
  void existingClusterOnlyNeedsTheOwnName() throws ConfigException {
    EtcdConfig config =
        config(
            "--initial-cluster-state",
            "existing",
            "--initial-cluster",
            "default=http://10.0.0.9:2380,b=http://10.0.0.2:2380");
    assertThat(config.initialClusterState()).isEqualTo(ClusterState.EXISTING);
  }

  @Test
  void bootstrapFlagsAreNotCheckedOnceTheDataDirIsInitialized(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("member"));
    EtcdConfig config =
        config("--data-dir", dir.toString(), "--initial-cluster", "other=http://10.0.0.2:2380");
    assertThat(config.initialCluster()).containsOnlyKeys("other");
  }

  // ---------------------------------------------------------------------------------------------------------
  // invalid input: one line, etcd's words (checked against etcd 3.4.23)

  static Stream<Arguments> invalid() {
    Map<String, String> none = Map.of();
    return Stream.of(
        row(none, List.of("--foo"), "flag provided but not defined: -foo"),
        row(none, List.of("-foo=bar"), "flag provided but not defined: -foo"),
        row(none, List.of("extra-arg"), "'extra-arg' is not a valid flag"),
        row(none, List.of("--", "--name", "x"), "'--name' is not a valid flag"),
        row(none, List.of("--name"), "flag needs an argument: -name"),
        row(
            none,
            List.of("--snapshot-count", "abc"),
            "invalid value \"abc\" for flag -snapshot-count: parse error"),
        row(
            none,
            List.of("--snapshot-count", "-1"),
            "invalid value \"-1\" for flag -snapshot-count: parse error"),
        row(
            none,
            List.of("--max-txn-ops", "99999999999"),
            "invalid value \"99999999999\" for flag -max-txn-ops: value out of range"),
        row(
            none,
            List.of("--quota-backend-bytes", "2GB"),
            "invalid value \"2GB\" for flag -quota-backend-bytes: parse error"),
        row(
            none,
            List.of("--grpc-keepalive-min-time", "5"),
            "invalid value \"5\" for flag -grpc-keepalive-min-time: parse error"),
        row(
            none,
            List.of("--enable-pprof=maybe"),
            "invalid boolean value \"maybe\" for -enable-pprof: parse error"),
        row(
            none,
            List.of("--initial-cluster-state", "bogus"),
            "invalid value \"bogus\" for flag -initial-cluster-state: invalid value"),
        row(
            none,
            List.of("--listen-client-urls", "127.0.0.1:2379"),
            "invalid value \"127.0.0.1:2379\" for flag -listen-client-urls: parse \"127.0.0.1:2379\":"
                + " first path segment in URL cannot contain colon"),
        row(
            none,
            List.of("--listen-client-urls", "localhost:2379"),
            "invalid value \"localhost:2379\" for flag -listen-client-urls:"
                + " URL scheme must be http, https, unix, or unixs: localhost:2379"),
        row(
            none,
            List.of("--listen-client-urls", "ftp://127.0.0.1:2379"),
            "invalid value \"ftp://127.0.0.1:2379\" for flag -listen-client-urls:"
                + " URL scheme must be http, https, unix, or unixs: ftp://127.0.0.1:2379"),
        row(
            none,
            List.of("--listen-client-urls", "http://127.0.0.1"),
            "invalid value \"http://127.0.0.1\" for flag -listen-client-urls:"
                + " URL address does not have the form \"host:port\": http://127.0.0.1"),
        row(
            none,
            List.of("--listen-client-urls", "http://127.0.0.1:2379/foo"),
            "invalid value \"http://127.0.0.1:2379/foo\" for flag -listen-client-urls:"
                + " URL must not contain a path: http://127.0.0.1:2379/foo"),
        row(
            none,
            List.of("--heartbeat-interval=300"),
            "--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[300ms]"),
        row(
            none,
            List.of("--election-timeout", "60000"),
            "--election-timeout[60000ms] is too long, and should be set less than 50000ms"),
        row(
            none,
            List.of("--heartbeat-interval", "0"),
            "--heartbeat-interval must be >0 (set to 0ms)"),
        row(
            none,
            List.of("--auto-compaction-mode", "bogus"),
            "unknown auto-compaction-mode \"bogus\""),
        row(
            none,
            List.of("--auto-compaction-retention", "1x"),
            "error parsing CompactionRetention: time: unknown unit \"x\" in duration \"1x\""),
        row(
            none,
            List.of("--listen-client-urls", "http://127.0.0.1:2391"),
            "--advertise-client-urls is required when --listen-client-urls is set explicitly"),
        row(
            none,
            List.of("--initial-cluster", "a=http://localhost:2380"),
            "couldn't find local name \"default\" in the initial cluster configuration"),
        row(
            none,
            List.of("--initial-cluster", "default=http://localhost:2381"),
            "--initial-cluster has default=http://localhost:2381 but missing from"
                + " --initial-advertise-peer-urls=http://localhost:2380 (resolved urls:"
                + " \"http://localhost:2380\" != \"http://localhost:2381\")"),
        row(
            none,
            List.of("--initial-cluster", "default"),
            "error setting up initial cluster: URL scheme must be http, https, unix, or unixs: "),
        row(
            none,
            List.of("--initial-cluster", "default=localhost:2380"),
            "error setting up initial cluster: URL scheme must be http, https, unix, or unixs: localhost:2380"),
        row(
            none,
            List.of("--metrics", "bogus"),
            "invalid value \"bogus\" for flag -metrics: invalid value"),
        row(
            none,
            List.of("--bcrypt-cost", "3"),
            "--bcrypt-cost must be between 4 and 31 (set to 3)"),
        row(
            Map.of("ETCD_NAME", "x"),
            List.of("--name", "y"),
            "conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag"
                + " (either unset environment variable or disable flag)"),
        row(
            Map.of("ETCD_NAME", ""),
            List.of("--name", "y"),
            "conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag"
                + " (either unset environment variable or disable flag)"),
        row(
            Map.of("ETCD_SNAPSHOT_COUNT", "abc"),
            List.of(),
            "invalid value \"abc\" for ETCD_SNAPSHOT_COUNT: parse error"),
        row(
            Map.of("ETCD_ENABLE_PPROF", "maybe"),
            List.of(),
            "invalid value \"maybe\" for ETCD_ENABLE_PPROF: parse error"),
        // TLS settings against the URLs, as etcd 3.4 words them
        row(
            none,
            List.of(
                "--listen-client-urls",
                "https://127.0.0.1:2379",
                "--advertise-client-urls",
                "https://127.0.0.1:2379"),
            "TLS key/cert (--cert-file, --key-file) must be provided for client url"
                + " https://127.0.0.1:2379 with HTTPS scheme"),
        row(
            none,
            List.of(
                "--listen-peer-urls",
                "https://127.0.0.1:2380",
                "--initial-advertise-peer-urls",
                "https://127.0.0.1:2380"),
            "cannot listen on TLS for 127.0.0.1:2380: KeyFile and CertFile are not presented"),
        row(none, List.of("--cipher-suites", "BOGUS"), "unexpected TLS cipher suite \"BOGUS\""),
        // what pekko-etcd does not do yet
        row(
            none,
            List.of("--client-crl-file", "c.crl"),
            "pekko-etcd does not support --client-crl-file yet (--client-crl-file=c.crl)"),
        row(
            none,
            List.of("--listen-metrics-urls", "https://127.0.0.1:2381"),
            "pekko-etcd does not support TLS on --listen-metrics-urls yet (https://127.0.0.1:2381)"),
        row(
            none,
            List.of("--peer-cert-allowed-cn", "etcd"),
            "pekko-etcd does not support --peer-cert-allowed-cn yet (--peer-cert-allowed-cn=etcd)"),
        row(
            none,
            List.of("--discovery", "https://discovery.etcd.io/abc"),
            "pekko-etcd does not support discovery bootstrap (--discovery=https://discovery.etcd.io/abc);"
                + " list the members with --initial-cluster"),
        row(
            none,
            List.of("--proxy", "on"),
            "pekko-etcd does not support the v2 proxy (--proxy=on)"));
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource
  void invalid(Map<String, String> env, List<String> args, String message) {
    assertThat(error(env, args.toArray(String[]::new))).isEqualTo(message);
  }

  @Test
  void tlsSettingsAreStoredWhenNotRefused() throws ConfigException {
    EtcdConfig config =
        config(
            "--cert-file",
            "s.crt",
            "--key-file",
            "s.key",
            "--trusted-ca-file",
            "ca.crt",
            "--peer-cert-file",
            "p.crt",
            "--peer-key-file",
            "p.key",
            "--peer-client-cert-auth=true",
            "--client-crl-file",
            "c.crl",
            "--cipher-suites",
            "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384");
    assertThat(config.clientTls())
        .isEqualTo(new EtcdConfig.Tls("s.crt", "s.key", "ca.crt", false, false, "c.crl", "", ""));
    assertThat(config.peerTls())
        .isEqualTo(new EtcdConfig.Tls("p.crt", "p.key", "", true, false, "", "", ""));
    assertThat(config.cipherSuites())
        .containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
  }

  @Test
  void httpsListenersWithKeyPairsServeTls() throws ConfigException {
    ParseResult.Run run =
        run(
            Map.of(),
            "--listen-client-urls",
            "https://127.0.0.1:2379",
            "--advertise-client-urls",
            "https://127.0.0.1:2379",
            "--listen-peer-urls",
            "https://127.0.0.1:2380",
            "--initial-advertise-peer-urls",
            "https://127.0.0.1:2380",
            "--cert-file",
            "s.crt",
            "--key-file",
            "s.key",
            "--peer-auto-tls",
            "--cipher-suites",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305");
    assertThat(run.config().clientTlsOn()).isTrue();
    assertThat(run.config().peerTlsOn()).isTrue();
    assertThat(run.warnings()).isEmpty();
  }

  @Test
  void tlsSettingsForHttpListenersAreIgnoredWithEtcdsWarnings() throws ConfigException {
    ParseResult.Run run =
        run(
            Map.of(),
            "--cert-file",
            "s.crt",
            "--key-file",
            "s.key",
            "--client-cert-auth",
            "--peer-client-cert-auth");
    assertThat(run.config().clientTlsOn()).isFalse();
    assertThat(run.config().peerTlsOn()).isFalse();
    assertThat(run.warnings())
        .containsExactly(
            "The scheme of peer url http://localhost:2380 is HTTP while client cert auth"
                + " (--peer-client-cert-auth) is enabled. Ignored client cert auth for this url.",
            "The scheme of client url http://localhost:2379 is HTTP while peer key/cert files are"
                + " presented. Ignored key/cert files.",
            "The scheme of client url http://localhost:2379 is HTTP while client cert auth"
                + " (--client-cert-auth) is enabled. Ignored client cert auth for this url.");
  }

  // ---------------------------------------------------------------------------------------------------------
  // --config-file

  @Test
  void configFileReplacesFlagsAndEnvironment(@TempDir Path dir) throws Exception {
    Path file =
        write(
            dir,
            """
                name: infra1
                data-dir: /var/lib/pekko-etcd
                listen-client-urls: http://127.0.0.1:12379
                advertise-client-urls: [http://127.0.0.1:12379, http://10.0.0.1:12379]
                listen-peer-urls: http://127.0.0.1:12380
                initial-advertise-peer-urls: http://127.0.0.1:12380
                initial-cluster: infra1=http://127.0.0.1:12380,infra2=http://127.0.0.1:22380
                initial-cluster-state: new
                snapshot-count: 5000
                heartbeat-interval: 50
                election-timeout: 500
                enable-pprof: true
                quota-backend-bytes: 4294967296
                grpc-keepalive-min-time: 3000000000
                grpc-keepalive-interval: 1h
                log-outputs: [stderr]
                wal-dir:
                """);
    // The conflicting ETCD_NAME and --name do not matter: the file wins, as in etcd.
    ParseResult.Run run =
        run(
            Map.of("ETCD_NAME", "zz", "ETCD_SNAPSHOT_COUNT", "1"),
            "--config-file",
            file.toString(),
            "--name",
            "q");
    EtcdConfig config = run.config();
    assertThat(config.name()).isEqualTo("infra1");
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/pekko-etcd"));
    assertThat(config.walDir()).isEmpty();
    assertThat(config.clientHostPort()).isEqualTo(new HostPort("127.0.0.1", 12379));
    assertThat(config.advertiseClientUrls())
        .isEqualTo(urls("http://127.0.0.1:12379", "http://10.0.0.1:12379"));
    assertThat(config.initialCluster()).containsOnlyKeys("infra1", "infra2");
    assertThat(config.snapshotCount()).isEqualTo(5000);
    assertThat(config.electionTicks()).isEqualTo(10);
    assertThat(config.enablePprof()).isTrue();
    assertThat(config.quotaBackendBytes()).isEqualTo(4_294_967_296L);
    assertThat(config.grpcKeepaliveMinTime()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.grpcKeepaliveInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(config.logOutputs()).containsExactly("stderr");
    assertThat(run.warnings()).isEmpty();
  }

  @Test
  void configFileFromEnvironmentWithNestedTlsAndUnknownKeys(@TempDir Path dir) throws Exception {
    Path file =
        write(
            dir,
            """
                name: n
                bogus-key: 1
                client-transport-security:
                  cert-file: s.crt
                  client-cert-auth: true
                peer-transport-security:
                  trusted-ca-file: ca.crt
                """);
    ParseResult.Run run = run(Map.of("ETCD_CONFIG_FILE", file.toString()));
    assertThat(run.config().name()).isEqualTo("n");
    assertThat(run.config().clientTls().certFile()).isEqualTo("s.crt");
    assertThat(run.config().clientTls().clientCertAuth()).isTrue();
    assertThat(run.config().peerTls().trustedCaFile()).isEqualTo("ca.crt");
    // TLS settings for an http:// listener are ignored with etcd's warnings
    assertThat(run.warnings())
        .startsWith("unrecognized config file key \"bogus-key\" in " + file)
        .hasSize(3);
  }

  static Stream<Arguments> invalidConfigFile() {
    return Stream.of(
        row(
            "snapshot-count: abc\n",
            "invalid value \"abc\" for \"snapshot-count\" in config file %s: parse error"),
        row(
            "enable-pprof: maybe\n",
            "invalid value \"maybe\" for \"enable-pprof\" in config file %s: parse error"),
        row(
            "grpc-keepalive-min-time: 5x\n",
            "invalid value \"5x\" for \"grpc-keepalive-min-time\" in config"
                + " file %s: time: unknown unit \"x\" in duration \"5x\""),
        row(
            "heartbeat-interval: 300\n",
            "--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[300ms]"),
        row(
            "name: [x\n",
            "error converting YAML to JSON: yaml: line 2: expected ',' or ']', but got <stream end>"),
        row(
            "- a\n- b\n",
            "error unmarshaling config file %s: not a mapping of flag names to values"),
        row(
            "name: [a, b]\n",
            "invalid value \"[a, b]\" for \"name\" in config file %s: a list is not allowed here"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void invalidConfigFile(String yaml, String message, @TempDir Path dir) throws IOException {
    Path file = write(dir, yaml);
    assertThat(error(Map.of(), "--config-file", file.toString()))
        .isEqualTo(message.formatted(file));
  }

  @Test
  void missingConfigFile() {
    assertThat(error(Map.of(), "--config-file=/nonexistent/etcd.yaml"))
        .isEqualTo("open /nonexistent/etcd.yaml: no such file or directory");
  }

  private static Path write(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("etcd.conf.yml");
    Files.writeString(file, yaml);
    return file;
  }

  // ---------------------------------------------------------------------------------------------------------
  // help and version

  static Stream<Arguments> helpAndVersion() {
    return Stream.of(
        row(List.of("--help"), ParseResult.Help.class),
        row(List.of("-h"), ParseResult.Help.class),
        row(List.of("--name", "x", "-help"), ParseResult.Help.class),
        row(List.of("--version"), ParseResult.Version.class),
        row(List.of("-version"), ParseResult.Version.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void helpAndVersion(List<String> args, Class<?> expected) throws ConfigException {
    // --version works whatever the environment says, as in etcd.
    assertThat(EtcdConfigParser.parse(args.toArray(String[]::new), Map.of("ETCD_FOO", "1")))
        .isInstanceOf(expected);
  }

  @Test
  void usageListsEveryFlagWithItsDefault() {
    String usage = EtcdConfigParser.usage();
    assertThat(usage)
        .contains(
            "  --name 'default'\n",
            "  --listen-client-urls 'http://localhost:2379'\n",
            "  --max-wals '5'\n",
            "[accepted for compatibility; ignored by pekko-etcd]");
    for (Flag flag : EtcdFlags.ALL) {
      assertThat(usage).contains("--" + flag.name());
    }
  }
}
