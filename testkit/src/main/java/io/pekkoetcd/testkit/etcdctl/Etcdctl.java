package io.pekkoetcd.testkit.etcdctl;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code etcdctl} binary (Debian's etcd-client, API 3) as a process, with a deadline.
 */
public final class Etcdctl {
  private Etcdctl() {}

  /** What one etcdctl run printed (stdout and stderr, merged in order) and its exit code. */
  public record Result(int exitCode, String output) {}

  public static Result run(String endpoints, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("etcdctl");
    cmd.add("--endpoints=" + endpoints);
    cmd.add("--dial-timeout=5s");
    cmd.add("--command-timeout=10s");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "etcdctl " + String.join(" ", args) + " did not finish in 30 s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  public static boolean available() {
    return runs("etcdctl", "version");
  }

  /**
   * Whether {@code command} starts and exits 0 within 10 s (used to check for installed binaries).
   */
  public static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
