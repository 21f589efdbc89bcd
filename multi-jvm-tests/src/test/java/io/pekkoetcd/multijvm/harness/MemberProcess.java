package io.pekkoetcd.multijvm.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One member as a user runs it: {@code bin/pekko-etcd} (which execs the JVM of the distribution
 * {@code server/target}, so the process is the member's JVM) with etcd's flags, on its own loopback
 * address, its output appended to its log file (kept across restarts). Owns the process it started:
 * {@link #kill9}, {@link #stop}; {@link #pause}/{@link #resume} send SIGSTOP/SIGCONT.
 */
public final class MemberProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Spec spec;
  private final Path log;
  private final Map<String, String> environment;
  private Process process;
  private boolean paused;

  /**
   * What a member is: its name, address (127.0.0.N), ports, data directory and flags.
   *
   * @param flags etcd's flags for it (cluster, timing), without the data directory
   */
  public record Spec(
      String name, String address, int clientPort, int peerPort, List<String> flags) {
    public String clientUrl() {
      return "http://" + address + ":" + clientPort;
    }

    public String peerUrl() {
      return "http://" + address + ":" + peerPort;
    }
  }

  MemberProcess(Spec spec, Path log, Map<String, String> environment) {
    this.spec = spec;
    this.log = log;
    this.environment = Map.copyOf(environment);
  }

  public Spec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public Path log() {
    return log;
  }

  /** Starts the member's JVM (on its data directory as it is: a restart keeps the data). */
  synchronized void start(Path repositoryRoot, Path dataDir) throws IOException {
    if (isAlive()) {
      throw new IllegalStateException(name() + " is already running");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(repositoryRoot.resolve("bin/pekko-etcd").toString());
    cmd.addAll(List.of("--data-dir", dataDir.toString()));
    cmd.addAll(spec.flags());
    Files.writeString(
        log,
        "=== multi-jvm harness: starting " + name() + ": " + String.join(" ", cmd) + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("PEKKO_ETCD_SKIP_BUILD", "1"); // the jar `package` built; never rebuild
    // Three to five members and the test JVM share 2 cores in CI: C1 only and the serial collector
    // start a member in about half the CPU time; the suite measures safety, not throughput.
    pb.environment().put("JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    pb.environment().putAll(environment);
    process = pb.start();
    paused = false;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(name() + " was never started");
    }
    return process.pid();
  }

  /** SIGKILL, and wait until the process is gone: nothing is flushed, no hook runs. */
  public synchronized void kill9() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name() + " survived SIGKILL for 30 s");
      }
    }
    paused = false;
  }

  /** SIGSTOP: the JVM freezes, as in a long GC pause; its sockets stay open. */
  public synchronized void pause() throws Exception {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause}. */
  public synchronized void resume() throws Exception {
    signal("CONT");
    paused = false;
  }

  public synchronized boolean isPaused() {
    return paused;
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
    }
  }

  /** SIGTERM (resumed first if paused), SIGKILL after 10 s; returns when the process is gone. */
  public synchronized void stop() throws Exception {
    if (!isAlive()) {
      return;
    }
    if (paused) {
      resume();
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill9();
    }
  }

  /**
   * The order in which the member logged, since its last start, that it recovered its WAL and that
   * it is ready to serve clients (e.g. {@code [recovered its WAL, ready to serve client
   * requests]}).
   */
  public List<String> startupOrder() throws IOException {
    List<String> lines = Files.readAllLines(log);
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("=== multi-jvm harness: starting")) {
        start = i;
      }
    }
    List<String> out = new ArrayList<>();
    for (String l : lines.subList(start, lines.size())) {
      for (String marker : List.of("recovered its WAL", "ready to serve client requests")) {
        if (l.contains(marker)) {
          out.add(marker);
        }
      }
    }
    return out;
  }

  /**
   * Whether {@code /health} answers 200: a linearizable read through this member succeeded. False
   * while it is down, paused, without a leader or cut off from a quorum.
   */
  public boolean healthy() {
    HttpRequest health =
        HttpRequest.newBuilder(URI.create(spec.clientUrl() + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      return HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notServing) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
