package io.pekkoetcd.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * etcd's {@code ETCD_*} environment variables (its pkg/flags {@code SetFlagsFromEnv} and {@code
 * verifyEnv}): every flag {@code --foo-bar} not on the command line is taken from a non-empty
 * {@code ETCD_FOO_BAR}. A variable for a flag that is also on the command line is fatal (etcd's
 * "conflicting environment variable … is shadowed" message); any other unused {@code ETCD_*}
 * variable is only a warning. Not consulted when a config file is given.
 */
final class EnvironmentVariables {

  /** {@code ETCD_*} variables that are not flags but are legitimately set for etcd (no warning). */
  private static final Set<String> NON_FLAG_ENV = Set.of("ETCD_UNSUPPORTED_ARCH");

  private EnvironmentVariables() {}

  /**
   * Adds to {@code given} the flags set by {@code env}, which must not repeat one already in {@code
   * given} (from the command line), and adds a warning for each unrecognized {@code ETCD_*}
   * variable.
   */
  static void read(Map<String, String> env, Map<String, Given> given, List<String> warnings)
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
}
