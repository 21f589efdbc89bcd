package io.pekkoetcd.server;

import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import io.pekkoetcd.testkit.process.EtcdFlags;
import io.pekkoetcd.testkit.process.Ports;
import java.io.IOException;
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
        MemberRunner.run(
                member,
                MemberRunner.systemConfig(member),
                "127.0.0.1",
                client,
                MemberRunner.metricsListeners(run.config()))
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    return new InProcessMember(running, client, peer);
  }

  /** etcd's flags for a one-member cluster on 127.0.0.1 ({@link EtcdFlags#singleMember}). */
  static List<String> etcdFlags(String name, Path dataDir, int client, int peer) {
    return EtcdFlags.singleMember(name, dataDir, client, peer);
  }

  /** A free loopback port ({@link Ports#freePort}). */
  static int freePort() throws IOException {
    return Ports.freePort();
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

  /**
   * Waits until {@code /health} answers healthy: a leader is known and a linearizable read passed,
   * so the member has applied an entry of its current term (its answers carry that term).
   */
  InProcessMember awaitHealthy(java.time.Duration timeout) throws Exception {
    io.pekkoetcd.testkit.cluster.Poll.until(
        timeout,
        "member " + endpoint() + " healthy",
        () -> HttpProbe.get(endpoint() + "/health").body().contains("\"health\":\"true\""));
    return this;
  }

  @Override
  public void close() throws Exception {
    running.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
