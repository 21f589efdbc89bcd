package io.pekkoetcd.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *   <li>TLS settings against the URLs ({@link TlsChecks}): an https listener needs a key pair or
 *       auto TLS; settings for http listeners are ignored with a warning.
 *   <li>Finally what pekko-etcd cannot do yet (CRLs, allowed TLS hostnames/CNs, discovery, the v2
 *       proxy) is refused with one line.
 * </ol>
 *
 * Errors are {@link ConfigException}s with one-line messages; nothing is printed or logged here.
 *
 * <p>The steps live in their own classes: {@link CommandLineParser} (1), {@link ConfigFile} (2),
 * {@link EnvironmentVariables} (3), {@link ConfigBuilder} with {@link TypedValues} (4), {@link
 * UnsupportedFeatures} (5); the flags themselves in {@link EtcdFlags}. Each raw value travels as a
 * {@link Given}, which remembers where it came from for etcd's error wording.
 */
public final class EtcdConfigParser {

  /**
   * Parses a member's configuration.
   *
   * @param args the command-line arguments (without the program name)
   * @param env the environment, normally {@code System.getenv()}
   * @return {@link ParseResult.Run} with the configuration and warnings to log, or a request to
   *     print help or the version
   * @throws ConfigException with a one-line message when the configuration is invalid or asks for
   *     something pekko-etcd does not support (CRLs, discovery, v2 proxy)
   */
  public static ParseResult parse(String[] args, Map<String, String> env) throws ConfigException {
    return parse(args, env, true);
  }

  /**
   * {@link #parse(String[], Map)}, optionally without refusing unsupported features (for tests).
   */
  static ParseResult parse(String[] args, Map<String, String> env, boolean refuseUnsupported)
      throws ConfigException {
    CommandLineParser.Values commandLine = CommandLineParser.parse(args);
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
      EnvironmentVariables.read(env, given, warnings);
    }
    EtcdConfig config = new ConfigBuilder(given, warnings).build(!fromFile);
    TlsChecks.check(config, warnings);
    if (refuseUnsupported) {
      UnsupportedFeatures.refuse(config, given);
    }
    return new ParseResult.Run(config, warnings);
  }

  /** etcd-style usage: every flag with its default, grouped as in {@code etcd --help}. */
  public static String usage() {
    return Usage.text();
  }
}
