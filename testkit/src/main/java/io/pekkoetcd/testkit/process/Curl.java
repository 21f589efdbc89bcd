package io.pekkoetcd.testkit.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code curl} as a process, the way etcd's gateway documentation drives it: {@link #run}
 * for one call, {@link #stream} for a streaming one ({@code curl -N}) read while it runs.
 */
public final class Curl implements AutoCloseable {
  /** What a finished curl printed, and how it exited. */
  public record Result(int exitCode, String output) {}

  private final Process process;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Thread reader;

  private Curl(Process process) {
    this.process = process;
    this.reader = new Thread(this::drain, "curl-output");
    reader.setDaemon(true);
    reader.start();
  }

  public static boolean available() {
    try {
      return new ProcessBuilder("curl", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Runs {@code curl -s <args>} to its end (at most 30 s) and returns what it printed. */
  public static Result run(String... args) throws Exception {
    try (Curl curl = start(args)) {
      if (!curl.process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("curl did not finish: " + String.join(" ", args));
      }
      curl.reader.join(5_000);
      return new Result(curl.process.exitValue(), curl.output());
    }
  }

  /** Starts {@code curl -s -N <args>}, whose output grows while it runs; close it to stop it. */
  public static Curl stream(String... args) throws IOException {
    List<String> withN = new ArrayList<>(List.of("-N"));
    withN.addAll(List.of(args));
    return start(withN.toArray(String[]::new));
  }

  private static Curl start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s"));
    cmd.addAll(List.of(args));
    return new Curl(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  /** What it printed so far. */
  public String output() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits until it printed at least {@code lines} lines. */
  public String awaitLines(int lines, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (output().lines().count() < lines) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "curl printed no " + lines + " lines in " + timeout + ": " + output());
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return output();
  }

  private void drain() {
    byte[] buf = new byte[8192];
    try (InputStream in = process.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (out) {
          out.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // the process was stopped
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
