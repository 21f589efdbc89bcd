package io.pekkoetcd.testkit.process;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pekko-etcd as a real OS process ({@code java ... io.pekkoetcd.server.Main} with etcd's flags), so
 * that tests can kill it with SIGKILL and start it again on the same data directory.
 */
public final class ServerProcess implements AutoCloseable {
  /**
   * The server's entry point, by name: testkit does not depend on the server module; the caller's
   * class path (this JVM's, passed on) must hold it.
   */
  public static final String MAIN_CLASS = "io.pekkoetcd.server.Main";

  private final Process process;
  private final int clientPort;

  private ServerProcess(Process process, int clientPort) {
    this.process = process;
    this.clientPort = clientPort;
  }

  public static ServerProcess start(Path dataDir, String name, int client, int peer, Path log)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MAIN_CLASS);
    cmd.addAll(EtcdFlags.singleMember(name, dataDir, client, peer));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ServerProcess server = new ServerProcess(p, client);
    server.awaitServing(Duration.ofSeconds(60), log);
    return server;
  }

  /** Poll /health until it answers 200, or fail at the deadline. */
  private void awaitServing(Duration timeout, Path log) throws Exception {
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    java.net.http.HttpRequest health =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + clientPort + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "server exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (http.send(health, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException(
        "server not serving after " + timeout + "; see " + log + File.separator);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
