package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quota and the NOSPACE alarm as an operator meets them, compared with real etcd 3.4 given the
 * same quota: 100 KB puts until one fails with etcd's error; then {@code alarm list}, a refused
 * put, a read, deleting, compacting and defragmenting (writes still refused: the alarm is sticky),
 * {@code alarm disarm}, and a put that works again. etcdctl prints the same on both once numbers
 * (member IDs, ports, counts, revisions) are masked and endpoints written without a scheme.
 */
class NoSpaceAlarmTest {
  @TempDir Path dir;

  static final String QUOTA = "--quota-backend-bytes=" + 1_500_000;

  @Test
  void fillTheQuotaThenRecoverAsOnEtcd() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl (etcd-client) is not installed");
    assumeTrue(RealEtcd.available(), "etcd (etcd-server) is not installed");
    List<String> etcd;
    try (RealEtcd e = RealEtcd.startWith(dir.resolve("etcd"), "etcd", QUOTA)) {
      etcd = scenario(e.endpoint());
    }
    List<String> pekko;
    try (InProcessMember m = InProcessMember.startWith(dir.resolve("pekko"), "pekko", QUOTA)) {
      pekko = scenario(m.endpoint());
    }
    assertThat(pekko).isEqualTo(etcd);
    assertThat(String.join("\n", pekko))
        .contains("Error: etcdserver: mvcc: database space exceeded")
        .contains("memberID:# alarm:NOSPACE");
  }

  private static List<String> scenario(String endpoint) throws Exception {
    List<String> out = new ArrayList<>();
    String value = "x".repeat(100_000);
    String failed = null;
    for (int i = 0; i < 200 && failed == null; i++) {
      Etcdctl.Result r = Etcdctl.run(endpoint, null, "put", "big-" + i, value);
      if (r.exitCode() != 0) {
        failed = masked(r.output());
      }
    }
    out.add("first refused put: " + failed);
    out.add(run(endpoint, "alarm", "list"));
    out.add(run(endpoint, "put", "small", "v"));
    out.add(run(endpoint, "get", "big-0", "--keys-only"));
    out.add(run(endpoint, "del", "big-", "--prefix"));
    String rev =
        Etcdctl.run(endpoint, null, "get", "big-0", "-w", "fields")
            .output()
            .lines()
            .filter(l -> l.startsWith("\"Revision\""))
            .findFirst()
            .orElseThrow()
            .replaceAll("\\D", "");
    out.add(run(endpoint, "compact", rev));
    out.add(run(endpoint, "defrag"));
    out.add(run(endpoint, "put", "small", "v"));
    out.add(run(endpoint, "alarm", "disarm"));
    out.add(run(endpoint, "alarm", "list"));
    out.add(run(endpoint, "put", "small", "v"));
    return out;
  }

  private static String run(String endpoint, String... args) throws Exception {
    Etcdctl.Result r = Etcdctl.run(endpoint, null, args);
    return masked(String.join(" ", args)) + " -> " + r.exitCode() + ": " + masked(r.output());
  }

  /** Without etcdctl's client logging, numbers masked. */
  private static String masked(String output) {
    return output
        .lines()
        .filter(l -> !l.startsWith("{\"level\""))
        .map(l -> l.replace("http://", "").replaceAll("\\d+", "#"))
        .collect(Collectors.joining("\n"));
  }
}
