package io.pekkoetcd.server.config;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * etcd's {@code --config-file}: a YAML mapping whose keys are the flag names ({@code name:}, {@code
 * data-dir:}, {@code listen-client-urls:} …). Values are strings, numbers or booleans; URL and
 * string lists may be a comma-separated string or a YAML list. As in etcd's own file, a bare number
 * for a duration key is nanoseconds, and TLS settings may also be nested under {@code
 * client-transport-security:} / {@code peer-transport-security:}. Keys etcd does not know are
 * ignored with a warning (etcd ignores them silently); {@code null} values keep the default.
 */
final class ConfigFile {

  private static final Map<String, String> CLIENT_TLS_KEYS =
      Map.of(
          "cert-file",
          "cert-file",
          "key-file",
          "key-file",
          "client-cert-auth",
          "client-cert-auth",
          "trusted-ca-file",
          "trusted-ca-file",
          "auto-tls",
          "auto-tls",
          "crl-file",
          "client-crl-file",
          "allowed-hostname",
          "client-cert-allowed-hostname");

  private static final Map<String, String> PEER_TLS_KEYS =
      Map.of(
          "cert-file",
          "peer-cert-file",
          "key-file",
          "peer-key-file",
          "client-cert-auth",
          "peer-client-cert-auth",
          "trusted-ca-file",
          "peer-trusted-ca-file",
          "auto-tls",
          "peer-auto-tls",
          "crl-file",
          "peer-crl-file",
          "allowed-cn",
          "peer-cert-allowed-cn",
          "allowed-hostname",
          "peer-cert-allowed-hostname");

  private ConfigFile() {}

  /**
   * Reads the file into flag name → raw string value, in file order.
   *
   * @param warnings receives one line per ignored key
   */
  static Map<String, String> load(Path file, List<String> warnings) throws ConfigException {
    Object document;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException("open " + file + ": no such file or directory");
    } catch (IOException e) {
      throw new ConfigException("open " + file + ": " + e.getMessage());
    } catch (MarkedYAMLException e) {
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(
          "error converting YAML to JSON: yaml: line " + line + ": " + problem);
    } catch (YAMLException e) {
      throw new ConfigException("error converting YAML to JSON: yaml: " + e.getMessage());
    }
    if (document == null) {
      return Map.of();
    }
    if (!(document instanceof Map<?, ?> top)) {
      throw new ConfigException(
          "error unmarshaling config file " + file + ": not a mapping of flag names to values");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : top.entrySet()) {
      String key = String.valueOf(entry.getKey());
      Object value = entry.getValue();
      if (key.equals("client-transport-security") || key.equals("peer-transport-security")) {
        Map<String, String> names = key.startsWith("client") ? CLIENT_TLS_KEYS : PEER_TLS_KEYS;
        if (value instanceof Map<?, ?> nested) {
          for (Map.Entry<?, ?> n : nested.entrySet()) {
            String nestedKey = String.valueOf(n.getKey());
            String flag = names.get(nestedKey);
            if (flag == null) {
              warnings.add(
                  "unrecognized config file key \"" + key + "." + nestedKey + "\" in " + file);
            } else {
              put(values, file, EtcdFlags.get(flag), n.getValue());
            }
          }
        } else if (value != null) {
          throw new ConfigException(
              "invalid value \""
                  + value
                  + "\" for \""
                  + key
                  + "\" in config file "
                  + file
                  + ": not a mapping");
        }
        continue;
      }
      var flag = EtcdFlags.byName(key).filter(f -> !f.name().equals(EtcdFlags.CONFIG_FILE));
      if (flag.isEmpty()) {
        warnings.add("unrecognized config file key \"" + key + "\" in " + file);
        continue;
      }
      put(values, file, flag.get(), value);
    }
    return values;
  }

  private static void put(Map<String, String> values, Path file, Flag flag, Object value)
      throws ConfigException {
    if (value == null) {
      return;
    }
    values.put(flag.name(), toRaw(file, flag, value));
  }

  private static String toRaw(Path file, Flag flag, Object value) throws ConfigException {
    if (value instanceof List<?> list) {
      if (flag.kind() != Flag.Kind.URLS && flag.kind() != Flag.Kind.LIST) {
        throw new ConfigException(
            "invalid value \""
                + value
                + "\" for \""
                + flag.name()
                + "\" in config file "
                + file
                + ": a list is not allowed here");
      }
      return list.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    if (value instanceof Map<?, ?>) {
      throw new ConfigException(
          "invalid value \""
              + value
              + "\" for \""
              + flag.name()
              + "\" in config file "
              + file
              + ": a mapping is not allowed here");
    }
    if (flag.kind() == Flag.Kind.DURATION
        && (value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
      return value + "ns";
    }
    return String.valueOf(value);
  }
}
