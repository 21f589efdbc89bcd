package io.pekkoetcd.server.config;

import java.util.List;
import java.util.Map;

/**
 * What pekko-etcd does not do yet — TLS (client or peer), discovery bootstrap, the v2 proxy — is
 * refused with one line naming the flag or URL that asked for it, instead of starting a member that
 * would silently behave differently from etcd.
 */
final class UnsupportedFeatures {

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

  private UnsupportedFeatures() {}

  /**
   * @throws ConfigException if {@code config} asks for TLS, or {@code given} for discovery or a v2
   *     proxy mode other than {@code off}
   */
  static void refuse(EtcdConfig config, Map<String, Given> given) throws ConfigException {
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
}
