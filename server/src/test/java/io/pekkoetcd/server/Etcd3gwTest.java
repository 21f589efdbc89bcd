package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.process.RealEtcd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's python3-etcd3gw (the etcd client OpenStack uses, which speaks only the JSON gateway) end
 * to end: put, get, prefix, delete, create/replace, txn, lease grant/ttl/refresh/keys/revoke, watch
 * (the chunked stream) and lock, by the script {@code gateway/etcd3gw_e2e.py}, which checks every
 * answer. It must pass against real etcd 3.4 (so the script checks etcd's behaviour) and print the
 * same against pekko-etcd.
 */
class Etcd3gwTest {
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir Path dir;

  @Test
  void etcd3gwWorksAgainstPekkoEtcdAsAgainstEtcd() throws Exception {
    assertThat(runs(PYTHON, "-c", "import etcd3gw"))
        .as("Debian's python3-etcd3gw for " + PYTHON)
        .isTrue();
    assertThat(RealEtcd.available()).as("etcd on PATH (Debian etcd-server)").isTrue();
    Path script = dir.resolve("etcd3gw_e2e.py");
    try (var in = getClass().getResourceAsStream("/gateway/etcd3gw_e2e.py")) {
      Files.write(script, in.readAllBytes());
    }
    String reference;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), "etcd3gw")) {
      reference = drive(script, etcd.port());
    }
    try (InProcessMember member = InProcessMember.start(dir.resolve("pekko"), "etcd3gw")) {
      assertThat(drive(script, member.port())).isEqualTo(reference);
    }
  }

  private static String drive(Path script, int port) throws Exception {
    Process p =
        new ProcessBuilder(PYTHON, script.toString(), "127.0.0.1", String.valueOf(port))
            .redirectErrorStream(true)
            .start();
    boolean exited = p.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exited).as("etcd3gw script finished in time: " + out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).endsWith("done\n");
    return out;
  }

  private static boolean runs(String... cmd) {
    try {
      return new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
