package io.pekkoetcd.testkit.process;

import java.nio.file.Path;
import java.util.List;

/** etcd's own command-line flags, as both pekko-etcd and real etcd take them. */
public final class EtcdFlags {
  private EtcdFlags() {}

  /**
   * etcd's flags for a one-member cluster on 127.0.0.1: the same for pekko-etcd and for real etcd.
   */
  public static List<String> singleMember(String name, Path dataDir, int client, int peer) {
    String clientUrl = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    return List.of(
        "--name", name,
        "--data-dir", dataDir.toString(),
        "--listen-client-urls", clientUrl,
        "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl,
        "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", name + "=" + peerUrl);
  }
}
