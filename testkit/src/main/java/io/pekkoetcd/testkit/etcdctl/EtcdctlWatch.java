package io.pekkoetcd.testkit.etcdctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code etcdctl watch …}, which runs until it is killed (or its watch is canceled), as a process
 * whose output is collected as it comes; the test waits for what it expects with a deadline, then
 * stops it.
 */
public final class EtcdctlWatch implements AutoCloseable {
  private final Process process;
  private final OutputStream stdin;
  private final StringBuffer output = new StringBuffer();
  private final Thread reader;
  private final String description;

  private EtcdctlWatch(Process process, String description) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.description = description;
    this.reader =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                // the process was stopped
              }
            },
            "etcdctl-watch-reader");
    reader.setDaemon(true);
    reader.start();
  }

  public static EtcdctlWatch start(String endpoint, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("watch"));
    cmd.addAll(List.of(args));
    return command(endpoint, cmd.toArray(String[]::new));
  }

  /**
   * Any other etcdctl command that runs until stopped or until it decides ({@code lease
   * keep-alive}, {@code lock}, {@code elect}), collected the same way.
   */
  public static EtcdctlWatch command(String endpoint, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoint, "--dial-timeout=5s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    return new EtcdctlWatch(pb.start(), "etcdctl " + String.join(" ", args));
  }

  /** Send one line to an interactive ({@code -i}) watch. */
  public void send(String line) throws IOException {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  public String output() {
    return output.toString();
  }

  /** Wait (polling, with a deadline) until the output so far satisfies {@code done}. */
  public void await(Predicate<String> done, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!done.test(output())) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            description + ": expected output not seen within " + timeout + ", got:\n" + output());
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** Wait until {@code text} occurs {@code times} times in the output. */
  public void awaitCount(String text, int times, Duration timeout) throws InterruptedException {
    await(s -> count(s, text) >= times, timeout);
  }

  public static int count(String s, String text) {
    int n = 0;
    for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }

  /** Wait until the process exits by itself; its whole output. */
  public String awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          description + " did not exit within " + timeout + ", got:\n" + output());
    }
    reader.join(5_000);
    return "exit " + process.exitValue() + "\n" + output();
  }

  /**
   * Stop the process; its whole output. An interactive etcdctl may see its input close before the
   * signal ends it and then prints "Error reading watch request line: EOF": that line is an
   * artifact of stopping it and is dropped.
   */
  public String stop() throws InterruptedException {
    close();
    return output().replace("Error: Error reading watch request line: EOF\n", "");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    reader.join(5_000);
  }
}
