package io.pekkoetcd.server.config;

import java.util.List;
import java.util.Map;

/**
 * What pekko-etcd does not do yet — certificate revocation lists and allowed hostnames/CNs, TLS on
 * unix sockets or the metrics listeners, discovery bootstrap, the v2 proxy — is refused with one
 * line naming the flag or URL that asked for it, instead of starting a member that would silently
 * behave differently from etcd. Client and peer TLS themselves are supported (checked by {@link
 * TlsChecks}).
 */
final class UnsupportedFeatures {

  /** TLS extras pekko-etcd does not implement: accepting them would weaken what etcd checks. */
  private static final List<String> TLS_EXTRAS =
      List.of(
          "client-crl-file",
          "client-cert-allowed-hostname",
          "peer-cert-allowed-cn",
          "peer-cert-allowed-hostname",
          "peer-crl-file");

  private UnsupportedFeatures() {}

  /**
   * @throws ConfigException if {@code given} asks for a TLS extra (CRL, allowed hostname or CN), a
   *     {@code unixs://} URL, discovery or a v2 proxy mode other than {@code off}
   */
  static void refuse(EtcdConfig config, Map<String, Given> given) throws ConfigException {
    for (String flag : TLS_EXTRAS) {
      Given value = given.get(flag);
      if (value != null && !value.value().isEmpty()) {
        throw new ConfigException(
            "pekko-etcd does not support --"
                + flag
                + " yet (--"
                + flag
                + "="
                + value.value()
                + ")");
      }
    }
    java.util.Optional<String> unixs =
        config.firstTlsUrl().filter(u -> u.toLowerCase(java.util.Locale.ROOT).startsWith("unixs"));
    if (unixs.isPresent()) {
      throw new ConfigException(
          "pekko-etcd does not support TLS on unix sockets (" + unixs.get() + ")");
    }
    for (java.net.URI url : config.listenMetricsUrls()) {
      if (EtcdConfig.isTls(url)) {
        throw new ConfigException(
            "pekko-etcd does not support TLS on --listen-metrics-urls yet (" + url + ")");
      }
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
