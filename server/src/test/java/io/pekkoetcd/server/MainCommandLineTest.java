package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command-line contract of the real process: a wrong flag is one line on stderr and exit code
 * 1.
 */
class MainCommandLineTest {

  record Outcome(int exitCode, String stdout, String stderr) {}

  static Outcome run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Outcome(p.exitValue(), out, err);
  }

  @Test
  void unknownFlag() throws Exception {
    Outcome o = run("--bogus");
    assertThat(o.exitCode()).isEqualTo(1);
    assertThat(o.stderr()).isEqualTo("pekko-etcd: flag provided but not defined: -bogus\n");
    assertThat(o.stdout()).isEmpty();
  }

  @Test
  void malformedValue() throws Exception {
    Outcome o = run("--heartbeat-interval=abc");
    assertThat(o.exitCode()).isEqualTo(1);
    assertThat(o.stderr())
        .isEqualTo("pekko-etcd: invalid value \"abc\" for flag -heartbeat-interval: parse error\n");
  }

  @Test
  void version() throws Exception {
    Outcome o = run("--version");
    assertThat(o.exitCode()).isZero();
    assertThat(o.stdout()).startsWith("pekko-etcd Version: 3.5.0");
  }
}
