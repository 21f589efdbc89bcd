package io.pekkoetcd.testkit.process;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference: real etcd (Debian's etcd-server) as a process on 127.0.0.1, started with the same
 * flags a pekko-etcd member gets, so that the same client commands can be compared on both.
 */
public final class RealEtcd implements AutoCloseable {
  private final Process process;
  private final int clientPort;
  private final int peerPort;

  private RealEtcd(Process process, int clientPort, int peerPort) {
    this.process = process;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  public static RealEtcd start(Path dataDir, String name) throws Exception {
    return start(dataDir, name, Ports.freePort(), Ports.freePort());
  }

  /** As {@link #start(Path, String)} on the given ports (e.g. those a restored data dir names). */
  public static RealEtcd start(Path dataDir, String name, int client, int peer) throws Exception {
    return start(dataDir, name, client, peer, List.of());
  }

  /** As {@link #start(Path, String)} with more of etcd's flags (e.g. a quota). */
  public static RealEtcd startWith(Path dataDir, String name, String... extraFlags)
      throws Exception {
    return start(dataDir, name, Ports.freePort(), Ports.freePort(), List.of(extraFlags));
  }

  private static RealEtcd start(
      Path dataDir, String name, int client, int peer, List<String> extraFlags) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("etcd");
    cmd.addAll(EtcdFlags.singleMember(name, dataDir, client, peer));
    cmd.addAll(extraFlags);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolveSibling(name + "-etcd.log").toFile())
            .start();
    RealEtcd etcd = new RealEtcd(p, client, peer);
    etcd.awaitHealthy(Duration.ofSeconds(30));
    return etcd;
  }

  public static boolean available() {
    return Etcdctl.runs("etcd", "--version");
  }

  private void awaitHealthy(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited with " + process.exitValue());
      }
      if (Etcdctl.run(endpoint(), null, "endpoint", "health").exitCode() == 0) {
        return;
      }
      // Polling with a deadline: etcdctl's own dial timeout paces the loop.
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("etcd not healthy after " + timeout);
  }

  public int port() {
    return clientPort;
  }

  public int peerPort() {
    return peerPort;
  }

  public String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
