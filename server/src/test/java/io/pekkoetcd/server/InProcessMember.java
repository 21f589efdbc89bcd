package io.pekkoetcd.server;

import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real member (WAL, MVCC store, client port) in the test's JVM, configured through etcd's own
 * flags, listening on 127.0.0.1 at a free client port.
 */
final class InProcessMember implements AutoCloseable {
  private final MemberRunner.Running running;
  private final int clientPort;
  private final int peerPort;

  private InProcessMember(MemberRunner.Running running, int clientPort, int peerPort) {
    this.running = running;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  static InProcessMember start(Path dataDir, String name) throws Exception {
    int client = freePort();
    int peer = freePort();
    return start(dataDir, name, client, peer);
  }

  static InProcessMember start(Path dataDir, String name, int client, int peer) throws Exception {
    return start(dataDir, name, client, peer, List.of());
  }

  /**
   * As {@link #start(Path, String)}, with more of etcd's flags (e.g. a short watch progress
   * interval).
   */
  static InProcessMember startWith(Path dataDir, String name, String... extraFlags)
      throws Exception {
    return start(dataDir, name, freePort(), freePort(), List.of(extraFlags));
  }

  private static InProcessMember start(
      Path dataDir, String name, int client, int peer, List<String> extraFlags) throws Exception {
    List<String> args = new ArrayList<>(etcdFlags(name, dataDir, client, peer));
    args.addAll(extraFlags);
    ParseResult.Run run =
        (ParseResult.Run) EtcdConfigParser.parse(args.toArray(String[]::new), Map.of());
    var member = MemberRunner.memberConfig(run.config());
    MemberRunner.Running running =
        MemberRunner.run(member, MemberRunner.systemConfig(member), "127.0.0.1", client)
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    return new InProcessMember(running, client, peer);
  }

  /**
   * etcd's flags for a one-member cluster on 127.0.0.1: the same for pekko-etcd and for real etcd.
   */
  static List<String> etcdFlags(String name, Path dataDir, int client, int peer) {
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

  /**
   * Ports are handed out from here up, below Linux's ephemeral range (32768–60999), wrapping
   * around.
   */
  private static final int FIRST_PORT = 10_000;

  private static final int LAST_PORT = 32_000;

  private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT =
      new java.util.concurrent.atomic.AtomicInteger(
          FIRST_PORT
              + new java.util.Random(ProcessHandle.current().pid() ^ System.nanoTime())
                  .nextInt(20_000));

  /**
   * A loopback port nothing listens on now, never the same twice in this JVM. Not from the
   * ephemeral range ({@code new ServerSocket(0)} would be): there, between this check and the
   * member's bind, an outgoing connection (Artery, jetcd) could take it as its local port — seen in
   * CI as "Address already in use".
   */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < LAST_PORT - FIRST_PORT; attempt++) {
      int port = NEXT_PORT.getAndUpdate(p -> p + 1 >= LAST_PORT ? FIRST_PORT : p + 1);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
        return port;
      } catch (IOException inUse) {
        // taken: try the next one
      }
    }
    throw new IOException("no free loopback port in " + FIRST_PORT + "–" + LAST_PORT);
  }

  io.pekkoetcd.actors.EtcdMember member() {
    return running.member();
  }

  int port() {
    return clientPort;
  }

  int peerPort() {
    return peerPort;
  }

  String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  @Override
  public void close() throws Exception {
    running.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
