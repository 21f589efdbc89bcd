package io.pekkoetcd.server.config;

import io.pekkoetcd.server.config.EtcdConfig.ClusterState;
import io.pekkoetcd.server.config.GoValues.BadValue;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code --initial-cluster}: parsing and the member's own entry, with etcd's messages. */
final class InitialCluster {

  private InitialCluster() {}

  /**
   * etcd's {@code types.NewURLsMap}: {@code name1=url1,name1=url2,name2=url3}, URL rules as
   * everywhere else.
   */
  static Map<String, List<URI>> parse(String spec) throws ConfigException {
    Map<String, List<URI>> members = new LinkedHashMap<>();
    for (String pair : spec.split(",", -1)) {
      int eq = pair.indexOf('=');
      String memberName = eq < 0 ? pair : pair.substring(0, eq);
      String url = eq < 0 ? "" : pair.substring(eq + 1);
      URI parsed;
      try {
        parsed = GoValues.parseUrl(url.strip());
      } catch (BadValue e) {
        throw new ConfigException("error setting up initial cluster: " + e.getMessage());
      }
      List<URI> urls = members.computeIfAbsent(memberName, n -> new ArrayList<>());
      if (!urls.contains(parsed)) {
        urls.add(parsed);
      }
    }
    Map<String, List<URI>> frozen = new LinkedHashMap<>();
    members.forEach((n, urls) -> frozen.put(n, List.copyOf(urls)));
    return frozen;
  }

  /**
   * etcd's {@code verifyLocalMember} / {@code advertiseMatchesCluster} for a member without data.
   */
  static void verifyLocalMember(
      String name,
      List<URI> advertisePeerUrls,
      Map<String, List<URI>> initialCluster,
      ClusterState state)
      throws ConfigException {
    List<URI> own = initialCluster.get(name);
    if (own == null) {
      throw new ConfigException(
          "couldn't find local name \"" + name + "\" in the initial cluster configuration");
    }
    if (state == ClusterState.EXISTING) {
      return;
    }
    String inCluster = sortedJoined(own);
    String advertised = sortedJoined(advertisePeerUrls);
    if (!inCluster.equals(advertised)) {
      String umap = own.stream().map(u -> name + "=" + u).collect(Collectors.joining(","));
      String apStr = advertisePeerUrls.stream().map(URI::toString).collect(Collectors.joining(","));
      throw new ConfigException(
          "--initial-cluster has "
              + umap
              + " but missing from --initial-advertise-peer-urls="
              + apStr
              + " (resolved urls: \""
              + advertised
              + "\" != \""
              + inCluster
              + "\")");
    }
  }

  private static String sortedJoined(List<URI> urls) {
    return urls.stream().map(URI::toString).sorted().collect(Collectors.joining(","));
  }
}
