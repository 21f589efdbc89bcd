package io.pekkoetcd.server.config;

import io.pekkoetcd.server.config.EtcdConfig.ClusterState;
import io.pekkoetcd.server.config.EtcdConfig.CompactionMode;
import io.pekkoetcd.server.config.EtcdConfig.MetricsLevel;
import io.pekkoetcd.server.config.GoValues.BadValue;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads etcd's command line, {@code ETCD_*} environment and {@code --config-file} into an {@link
 * EtcdConfig}, with etcd 3.4's rules and error wording:
 *
 * <ol>
 *   <li>Flags: {@code --foo-bar value}, {@code --foo-bar=value}, one dash as well as two; booleans
 *       alone ({@code --enable-pprof}) or with a value ({@code --enable-pprof=false}); a repeated
 *       flag's last value wins. An unknown flag is {@code flag provided but not defined: -foo}; a
 *       stray argument is {@code 'x' is not a valid flag}.
 *   <li>If {@code --config-file} (else a non-empty {@code ETCD_CONFIG_FILE}) is given, the YAML
 *       file is the only source: other flags and environment variables are ignored, as in etcd.
 *   <li>Otherwise every flag {@code --foo-bar} not on the command line is taken from a non-empty
 *       {@code ETCD_FOO_BAR}. An {@code ETCD_*} variable for a flag that is also on the command
 *       line is fatal (etcd's "conflicting environment variable … is shadowed" message); any other
 *       unused {@code ETCD_*} variable is only a warning.
 *   <li>Validation as etcd's: URL forms, election timeout vs heartbeat, the member's own entry in
 *       {@code --initial-cluster} (checked only while {@code <data-dir>/member} does not exist,
 *       since etcd ignores the bootstrap flags once the data dir is initialized), auto-compaction
 *       settings.
 *   <li>Finally what pekko-etcd cannot do yet (TLS, discovery, the v2 proxy) is refused with one
 *       line.
 * </ol>
 *
 * Errors are {@link ConfigException}s with one-line messages; nothing is printed or logged here.
 */
public final class EtcdConfigParser {

  /** Maximum of Go's {@code uint} flags used by etcd for int-sized settings. */
  private static final long UINT_MAX = Integer.MAX_VALUE;

  private static final long MAX_QUOTA_BYTES = 8L * 1024 * 1024 * 1024;
  private static final long RECOMMENDED_MAX_REQUEST_BYTES = 10L * 1024 * 1024;

  /** {@code ETCD_*} variables that are not flags but are legitimately set for etcd (no warning). */
  private static final Set<String> NON_FLAG_ENV = Set.of("ETCD_UNSUPPORTED_ARCH");

  private static final List<String> TLS_FLAGS =
      List.of(
          "cert-file",
          "key-file",
          "trusted-ca-file",
          "client-cert-auth",
          "client-crl-file",
          "client-cert-allowed-hostname",
          "auto-tls",
          "peer-cert-file",
          "peer-key-file",
          "peer-trusted-ca-file",
          "peer-client-cert-auth",
          "peer-cert-allowed-cn",
          "peer-cert-allowed-hostname",
          "peer-auto-tls",
          "peer-crl-file");

  private EtcdConfigParser() {}

  /**
   * Parses a member's configuration.
   *
   * @param args the command-line arguments (without the program name)
   * @param env the environment, normally {@code System.getenv()}
   * @return {@link ParseResult.Run} with the configuration and warnings to log, or a request to
   *     print help or the version
   * @throws ConfigException with a one-line message when the configuration is invalid or asks for
   *     something pekko-etcd does not support (TLS, discovery, v2 proxy)
   */
  public static ParseResult parse(String[] args, Map<String, String> env) throws ConfigException {
    return parse(args, env, true);
  }

  /**
   * {@link #parse(String[], Map)}, optionally without refusing unsupported features (for tests).
   */
  static ParseResult parse(String[] args, Map<String, String> env, boolean refuseUnsupported)
      throws ConfigException {
    CommandLineValues commandLine = parseCommandLine(args);
    if (commandLine.help()) {
      return new ParseResult.Help(usage());
    }
    if (commandLine.version()) {
      return new ParseResult.Version();
    }
    List<String> warnings = new ArrayList<>();
    Map<String, Given> given = new LinkedHashMap<>();
    String configFile = commandLine.values().getOrDefault(EtcdFlags.CONFIG_FILE, "");
    if (configFile.isEmpty()) {
      configFile = env.getOrDefault(EtcdFlags.get(EtcdFlags.CONFIG_FILE).envName(), "");
    }
    boolean fromFile = !configFile.isEmpty();
    if (fromFile) {
      Path file = Path.of(configFile);
      ConfigFile.load(file, warnings)
          .forEach((name, value) -> given.put(name, Given.file(value, file)));
    } else {
      commandLine.values().forEach((name, value) -> given.put(name, Given.flag(value)));
      readEnvironment(env, given, warnings);
    }
    EtcdConfig config = new Builder(given, warnings).build(!fromFile);
    if (refuseUnsupported) {
      refuseUnsupported(config, given);
    }
    return new ParseResult.Run(config, warnings);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Command line (picocli)

  private record CommandLineValues(Map<String, String> values, boolean help, boolean version) {}

  private static CommandSpec commandSpec() {
    CommandSpec spec = CommandSpec.create().name("pekko-etcd");
    spec.parser()
        .unmatchedArgumentsAllowed(true)
        .overwrittenOptionsAllowed(true)
        .expandAtFiles(false)
        .posixClusteredShortOptionsAllowed(false)
        .trimQuotes(false)
        .splitQuotedStrings(false);
    for (Flag flag : EtcdFlags.ALL) {
      OptionSpec.Builder option =
          OptionSpec.builder("--" + flag.name(), "-" + flag.name())
              .type(String.class)
              .paramLabel("value");
      if (flag.isBool()) {
        option.arity("0..1").fallbackValue("true");
      } else {
        option.arity("1");
      }
      spec.addOption(option.build());
    }
    spec.addOption(
        OptionSpec.builder("--help", "-help", "-h").arity("0").type(boolean.class).build());
    spec.addOption(
        OptionSpec.builder("--version", "-version").arity("0").type(boolean.class).build());
    return spec;
  }

  private static CommandLineValues parseCommandLine(String[] args) throws ConfigException {
    // Go's flag package stops at "--": whatever follows is an argument, and etcd takes no
    // arguments.
    int end = Arrays.asList(args).indexOf("--");
    if (end >= 0 && end + 1 < args.length) {
      throw new ConfigException("'" + args[end + 1] + "' is not a valid flag");
    }
    CommandLine.ParseResult result;
    try {
      result = new CommandLine(commandSpec()).parseArgs(end < 0 ? args : Arrays.copyOf(args, end));
    } catch (CommandLine.MissingParameterException e) {
      String flag = e.getMissing().stream().findFirst().map(EtcdConfigParser::flagName).orElse("?");
      throw new ConfigException("flag needs an argument: -" + flag);
    } catch (CommandLine.ParameterException e) {
      throw new ConfigException(e.getMessage());
    }
    if (!result.unmatched().isEmpty()) {
      String first = result.unmatched().get(0);
      if (first.startsWith("-") && first.length() > 1 && !first.equals("--")) {
        String name = first.substring(first.startsWith("--") ? 2 : 1);
        int eq = name.indexOf('=');
        throw new ConfigException(
            "flag provided but not defined: -" + (eq < 0 ? name : name.substring(0, eq)));
      }
      throw new ConfigException("'" + first + "' is not a valid flag");
    }
    Map<String, String> values = new LinkedHashMap<>();
    boolean help = false;
    boolean version = false;
    for (OptionSpec option : result.matchedOptions()) {
      String name = flagName(option);
      switch (name) {
        case "help" -> help = true;
        case "version" -> version = true;
        default -> values.put(name, option.getValue());
      }
    }
    return new CommandLineValues(values, help, version);
  }

  private static String flagName(ArgSpec arg) {
    return arg instanceof OptionSpec option
        ? option.longestName().replaceFirst("^--?", "")
        : arg.paramLabel();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Environment (etcd's pkg/flags SetFlagsFromEnv + verifyEnv)

  private static void readEnvironment(
      Map<String, String> env, Map<String, Given> given, List<String> warnings)
      throws ConfigException {
    Map<String, String> etcdVars = new TreeMap<>();
    env.forEach(
        (key, value) -> {
          if (key.startsWith("ETCD_")) {
            etcdVars.put(key, value);
          }
        });
    for (String key : etcdVars.keySet()) {
      Optional<Flag> flag = flagForEnv(key);
      if (flag.isPresent() && given.containsKey(flag.get().name())) {
        throw new ConfigException(
            "conflicting environment variable \""
                + key
                + "\" is shadowed by corresponding command-line flag (either unset environment variable"
                + " or disable flag)");
      }
    }
    etcdVars.forEach(
        (key, value) -> {
          Optional<Flag> flag = flagForEnv(key);
          if (flag.isPresent() && !value.isEmpty()) {
            given.put(flag.get().name(), Given.env(value, key));
          } else if (!NON_FLAG_ENV.contains(key)) {
            warnings.add("unrecognized environment variable " + key + "=" + value);
          }
        });
  }

  private static Optional<Flag> flagForEnv(String key) {
    String name = key.substring("ETCD_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
    return EtcdFlags.byName(name).filter(f -> f.envName().equals(key));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Where a value came from, for etcd-worded error messages

  private enum Origin {
    FLAG,
    ENV,
    FILE
  }

  private record Given(String value, Origin origin, String where) {
    static Given flag(String value) {
      return new Given(value, Origin.FLAG, "");
    }

    static Given env(String value, String variable) {
      return new Given(value, Origin.ENV, variable);
    }

    static Given file(String value, Path file) {
      return new Given(value, Origin.FILE, file.toString());
    }

    ConfigException invalid(Flag flag, String reason) {
      return new ConfigException(
          switch (origin) {
            case FLAG ->
                flag.isBool() && reason.equals(GoValues.PARSE_ERROR)
                    ? "invalid boolean value \"" + value + "\" for -" + flag.name() + ": " + reason
                    : "invalid value \"" + value + "\" for flag -" + flag.name() + ": " + reason;
            case ENV -> "invalid value \"" + value + "\" for " + where + ": " + reason;
            case FILE ->
                "invalid value \""
                    + value
                    + "\" for \""
                    + flag.name()
                    + "\" in config file "
                    + where
                    + ": "
                    + reason;
          });
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Typed values, defaults, validation

  private static final class Builder {
    private final Map<String, Given> given;
    private final List<String> warnings;

    Builder(Map<String, Given> given, List<String> warnings) {
      this.given = given;
      this.warnings = warnings;
    }

    EtcdConfig build(boolean fromCommandLine) throws ConfigException {
      String name = string("name");
      Path dataDir = Path.of(isGiven("data-dir") ? string("data-dir") : name + ".etcd");
      String walDir = string("wal-dir");
      List<URI> listenClientUrls = urls("listen-client-urls");
      List<URI> advertiseClientUrls = urls("advertise-client-urls");
      List<URI> listenPeerUrls = urls("listen-peer-urls");
      List<URI> advertisePeerUrls = urls("initial-advertise-peer-urls");
      List<URI> listenMetricsUrls = urls("listen-metrics-urls");
      ClusterState clusterState =
          ClusterState.valueOf(
              choice("initial-cluster-state", "new", "existing").toUpperCase(Locale.ROOT));
      choice("proxy", "off", "readonly", "on");
      choice("discovery-fallback", "exit", "proxy");
      long heartbeat = unsigned("heartbeat-interval", UINT_MAX);
      long election = unsigned("election-timeout", UINT_MAX);
      String metrics = choice("metrics", "basic", "extensive");
      String logger = choice("logger", "zap", "capnslog");
      String logLevel =
          choice("log-level", "debug", "info", "warn", "error", "dpanic", "panic", "fatal");
      if (bool("debug") && !isGiven("log-level")) {
        logLevel = "debug";
      }
      String authToken = string("auth-token");
      if (!authToken.equals("simple")
          && !authToken.equals("jwt")
          && !authToken.startsWith("jwt,")) {
        throw givenOrDefault("auth-token")
            .invalid(EtcdFlags.get("auth-token"), "unknown token type");
      }
      long bcryptCost = unsigned("bcrypt-cost", UINT_MAX);
      long quota = int64("quota-backend-bytes");
      long maxRequestBytes = unsigned("max-request-bytes", UINT_MAX);

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
      if (fromCommandLine && isGiven("listen-client-urls") && !isGiven("advertise-client-urls")) {
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
      String compactionModeName = string("auto-compaction-mode");
      if (!compactionModeName.equals("periodic") && !compactionModeName.equals("revision")) {
        throw new ConfigException("unknown auto-compaction-mode \"" + compactionModeName + "\"");
      }
      CompactionMode compactionMode =
          CompactionMode.valueOf(compactionModeName.toUpperCase(Locale.ROOT));
      String retention = string("auto-compaction-retention");
      try {
        parseCompactionRetention(compactionMode, retention);
      } catch (BadValue e) {
        throw new ConfigException("error parsing CompactionRetention: " + e.getMessage());
      }
      Map<String, List<URI>> initialCluster =
          isGiven("initial-cluster")
              ? InitialCluster.parse(string("initial-cluster"))
              : Map.of(name, advertisePeerUrls);
      if (!Files.isDirectory(dataDir.resolve("member"))) {
        InitialCluster.verifyLocalMember(name, advertisePeerUrls, initialCluster, clusterState);
      }
      if (quota > MAX_QUOTA_BYTES) {
        warnings.add(
            "quota-backend-bytes "
                + quota
                + " exceeds maximum recommended quota "
                + MAX_QUOTA_BYTES);
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
          urls("listen-client-http-urls"),
          listenPeerUrls,
          advertisePeerUrls,
          listenMetricsUrls,
          initialCluster,
          clusterState,
          string("initial-cluster-token"),
          unsigned("snapshot-count", Long.MAX_VALUE),
          heartbeat,
          election,
          bool("initial-election-tick-advance"),
          bool("pre-vote"),
          bool("strict-reconfig-check"),
          compactionMode,
          retention,
          quota,
          maxRequestBytes,
          (int) unsigned("max-txn-ops", UINT_MAX),
          unsigned("max-concurrent-streams", 0xFFFF_FFFFL),
          duration("grpc-keepalive-min-time"),
          duration("grpc-keepalive-interval"),
          duration("grpc-keepalive-timeout"),
          bool("enable-grpc-gateway"),
          bool("enable-pprof"),
          MetricsLevel.valueOf(metrics.toUpperCase(Locale.ROOT)),
          logger,
          logLevel,
          list("log-outputs"),
          authToken,
          unsigned("auth-token-ttl", UINT_MAX),
          (int) bcryptCost,
          new EtcdConfig.Tls(
              string("cert-file"),
              string("key-file"),
              string("trusted-ca-file"),
              bool("client-cert-auth"),
              bool("auto-tls"),
              string("client-crl-file"),
              string("client-cert-allowed-hostname"),
              ""),
          new EtcdConfig.Tls(
              string("peer-cert-file"),
              string("peer-key-file"),
              string("peer-trusted-ca-file"),
              bool("peer-client-cert-auth"),
              bool("peer-auto-tls"),
              string("peer-crl-file"),
              string("peer-cert-allowed-hostname"),
              string("peer-cert-allowed-cn")),
          list("cipher-suites"),
          string("tls-min-version"),
          string("tls-max-version"),
          list("cors"),
          list("host-whitelist"),
          bool("force-new-cluster"),
          bool("unsafe-no-fsync"),
          bool("experimental-initial-corrupt-check"),
          duration("experimental-corrupt-check-time"),
          bool("experimental-enable-lease-checkpoint"),
          bool("experimental-enable-lease-checkpoint-persist"),
          (int) unsigned("experimental-compaction-batch-limit", UINT_MAX),
          duration("experimental-watch-progress-notify-interval"),
          unsigned("experimental-snapshot-catchup-entries", Long.MAX_VALUE),
          duration("experimental-warning-apply-duration"),
          bool("experimental-stop-grpc-service-on-defrag"),
          ignored);
    }

    /**
     * Validates every IGNORED flag's value like etcd would, and warns for each one given a
     * non-default value.
     */
    private Map<String, String> ignoredFlags() throws ConfigException {
      Map<String, String> ignored = new LinkedHashMap<>();
      for (Flag flag : EtcdFlags.ALL) {
        if (flag.use() != Flag.Use.IGNORED || !isGiven(flag.name())) {
          continue;
        }
        Object value = typed(flag);
        Object defaultValue = typedDefault(flag);
        String raw = given.get(flag.name()).value();
        ignored.put(flag.name(), raw);
        if (!value.equals(defaultValue)) {
          String why =
              flag.name().equals("enable-v2") ? " (pekko-etcd serves the v3 API only)" : "";
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

    private Object typed(Flag flag) throws ConfigException {
      return switch (flag.kind()) {
        case STRING -> string(flag.name());
        case BOOL -> bool(flag.name());
        case UINT -> unsigned(flag.name(), UINT_MAX);
        case UINT64 -> unsigned(flag.name(), Long.MAX_VALUE);
        case INT64 -> int64(flag.name());
        case DURATION -> duration(flag.name());
        case URLS -> urls(flag.name());
        case LIST -> list(flag.name());
      };
    }

    private Object typedDefault(Flag flag) throws ConfigException {
      return new Builder(Map.of(), new ArrayList<>()).typed(flag);
    }

    private boolean isGiven(String flag) {
      return given.containsKey(flag);
    }

    private Given givenOrDefault(String name) {
      Given value = given.get(name);
      return value != null ? value : new Given(EtcdFlags.get(name).defaultValue(), Origin.FLAG, "");
    }

    private String string(String name) {
      return givenOrDefault(name).value();
    }

    private String choice(String name, String... allowed) throws ConfigException {
      Given value = givenOrDefault(name);
      if (!Arrays.asList(allowed).contains(value.value())) {
        throw value.invalid(EtcdFlags.get(name), "invalid value");
      }
      return value.value();
    }

    private boolean bool(String name) throws ConfigException {
      Given value = givenOrDefault(name);
      try {
        return GoValues.parseBool(value.value());
      } catch (BadValue e) {
        throw value.invalid(EtcdFlags.get(name), e.getMessage());
      }
    }

    private long unsigned(String name, long max) throws ConfigException {
      Given value = givenOrDefault(name);
      try {
        return GoValues.parseUnsigned(value.value(), max);
      } catch (BadValue e) {
        throw value.invalid(EtcdFlags.get(name), e.getMessage());
      }
    }

    private long int64(String name) throws ConfigException {
      Given value = givenOrDefault(name);
      try {
        return GoValues.parseInt64(value.value());
      } catch (BadValue e) {
        throw value.invalid(EtcdFlags.get(name), e.getMessage());
      }
    }

    private Duration duration(String name) throws ConfigException {
      Given value = givenOrDefault(name);
      try {
        return GoValues.parseDuration(value.value());
      } catch (BadValue e) {
        // Go's flag package reports every malformed duration as "parse error".
        throw value.invalid(
            EtcdFlags.get(name),
            value.origin() == Origin.FILE ? e.getMessage() : GoValues.PARSE_ERROR);
      }
    }

    private List<URI> urls(String name) throws ConfigException {
      Given value = givenOrDefault(name);
      if (value.value().isEmpty() && EtcdFlags.get(name).defaultValue().isEmpty()) {
        return List.of();
      }
      try {
        return GoValues.parseUrls(value.value());
      } catch (BadValue e) {
        throw value.invalid(EtcdFlags.get(name), e.getMessage());
      }
    }

    private List<String> list(String name) {
      String value = string(name);
      if (value.isEmpty()) {
        return List.of();
      }
      return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
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

  // ---------------------------------------------------------------------------------------------------------
  // What pekko-etcd does not do yet

  private static void refuseUnsupported(EtcdConfig config, Map<String, Given> given)
      throws ConfigException {
    if (config.tlsRequested()) {
      String culprit =
          TLS_FLAGS.stream()
              .filter(given::containsKey)
              .filter(f -> !given.get(f).value().equals(EtcdFlags.get(f).defaultValue()))
              .map(f -> "--" + f + "=" + given.get(f).value())
              .findFirst()
              .or(config::firstTlsUrl)
              .orElse("a TLS setting");
      throw new ConfigException(
          "pekko-etcd does not support TLS yet ("
              + culprit
              + "); use http:// URLs and no TLS flags");
    }
    for (String flag : List.of("discovery", "discovery-srv")) {
      Given value = given.get(flag);
      if (value != null && !value.value().isEmpty()) {
        throw new ConfigException(
            "pekko-etcd does not support discovery bootstrap (--"
                + flag
                + "="
                + value.value()
                + "); list the members with --initial-cluster");
      }
    }
    Given proxy = given.get("proxy");
    if (proxy != null && !proxy.value().equals("off")) {
      throw new ConfigException(
          "pekko-etcd does not support the v2 proxy (--proxy=" + proxy.value() + ")");
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Help

  /** etcd-style usage: every flag with its default, grouped as in {@code etcd --help}. */
  public static String usage() {
    return Usage.text();
  }
}
