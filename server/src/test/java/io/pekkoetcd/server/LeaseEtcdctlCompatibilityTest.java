package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.etcdctl.EtcdctlWatch;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcdctl 3.4's lease commands against real etcd 3.4 and against pekko-etcd, both fresh: the same
 * sequence must print the same once lease IDs (chosen by each server), member and cluster IDs and
 * ports are masked. A step may name a lease granted earlier as {@code <L1>}, {@code <L2>}, …
 * (numbered in grant order); remaining TTLs are masked (they tick), attached keys are sorted (etcd
 * lists them in map order).
 */
class LeaseEtcdctlCompatibilityTest {
  @TempDir Path dir;

  static final List<String[]> STEPS =
      List.of(
          args("lease", "grant", "60"),
          args("lease", "grant", "1"),
          args("lease", "revoke", "<L2>"),
          args("put", "--lease=<L1>", "lk1", "v1"),
          args("put", "--lease=<L1>", "lk2", "v2"),
          args("put", "lk3", "v3"),
          args("get", "lk1", "-w", "json"),
          args("lease", "timetolive", "<L1>"),
          args("lease", "timetolive", "<L1>", "--keys"),
          args("lease", "timetolive", "<L1>", "--keys", "-w", "json"),
          args("lease", "keep-alive", "--once", "<L1>"),
          args("lease", "list"),
          args("lease", "grant", "30", "-w", "json"),
          args("lease", "revoke", "<L3>"),
          args("lease", "revoke", "<L1>"),
          args("get", "lk", "--prefix"),
          args("lease", "timetolive", "<L1>"),
          args("lease", "timetolive", "<L1>", "--keys"),
          args("lease", "keep-alive", "--once", "<L1>"),
          args("lease", "revoke", "<L1>"),
          args("put", "--lease=1234abcd", "k", "v"),
          args("lease", "grant", "9000000001"),
          args("lease", "list"));

  static String[] args(String... a) {
    return a;
  }

  @Test
  void etcdctlLeaseCommandsPrintTheSameAsAgainstRealEtcd() throws Exception {
    assertThat(Etcdctl.available()).as("etcdctl on PATH (Debian etcd-client)").isTrue();
    assertThat(RealEtcd.available()).as("etcd on PATH (Debian etcd-server)").isTrue();
    List<String> reference;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), "lease-compat")) {
      reference = runAll(etcd.endpoint(), etcd.port(), etcd.peerPort());
    }
    List<String> ours;
    try (InProcessMember member = InProcessMember.start(dir.resolve("pekko"), "lease-compat")) {
      ours = runAll("127.0.0.1:" + member.port(), member.port(), member.peerPort());
    }
    Path out = Path.of("target", "etcdctl-compat");
    Files.createDirectories(out);
    Files.writeString(out.resolve("lease-etcd.txt"), String.join("\n", reference));
    Files.writeString(out.resolve("lease-pekko-etcd.txt"), String.join("\n", ours));
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < reference.size(); i++) {
      soft.assertThat(ours.get(i)).isEqualTo(reference.get(i));
    }
    soft.assertAll();
  }

  private static List<String> runAll(String endpoint, int clientPort, int peerPort)
      throws Exception {
    String status = Etcdctl.run(endpoint, null, "endpoint", "status", "-w", "json").output();
    String memberId = group(status, "\"member_id\":(\\d+)");
    String clusterId = group(status, "\"cluster_id\":(\\d+)");
    Map<String, Long> leases = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    for (String[] step : STEPS) {
      String[] resolved =
          Arrays.stream(step).map(a -> substitute(a, leases)).toArray(String[]::new);
      Etcdctl.Result r = Etcdctl.run(endpoint, null, resolved);
      Matcher granted =
          Pattern.compile("lease ([0-9a-f]+) granted with TTL|\"ID\":(\\d+),\"TTL\"")
              .matcher(r.output());
      if (step[0].equals("lease") && step[1].equals("grant") && granted.find()) {
        leases.put(
            "<L" + (leases.size() + 1) + ">",
            granted.group(1) != null
                ? Long.parseUnsignedLong(granted.group(1), 16)
                : Long.parseLong(granted.group(2)));
      }
      String text = "$ etcdctl " + String.join(" ", step) + "\nexit " + r.exitCode() + "\n";
      out.add(mask(text + r.output(), leases, memberId, clusterId, clientPort, peerPort));
    }
    // keep-alive (not --once) keeps renewing until stopped
    long id = granted(endpoint, leases);
    try (EtcdctlWatch keepAlive =
        EtcdctlWatch.command(endpoint, "lease", "keep-alive", Long.toHexString(id))) {
      keepAlive.awaitCount("keepalived with TTL(20)", 1, Duration.ofSeconds(20));
      out.add(
          mask(
              "$ etcdctl lease keep-alive <L" + leases.size() + ">\n" + firstLine(keepAlive),
              leases,
              memberId,
              clusterId,
              clientPort,
              peerPort));
      Etcdctl.run(endpoint, null, "lease", "revoke", Long.toHexString(id));
      keepAlive.awaitCount("expired or revoked", 1, Duration.ofSeconds(20));
      out.add(
          mask(
              keepAlive
                  .awaitExit(Duration.ofSeconds(20))
                  .lines()
                  .filter(l -> !l.contains("keepalived"))
                  .reduce("", (a, b) -> a + b + "\n"),
              leases,
              memberId,
              clusterId,
              clientPort,
              peerPort));
    }
    return out;
  }

  private static long granted(String endpoint, Map<String, Long> leases) throws Exception {
    String g = Etcdctl.run(endpoint, null, "lease", "grant", "20").output();
    long id = Long.parseUnsignedLong(group(g, "lease ([0-9a-f]+) granted"), 16);
    leases.put("<L" + (leases.size() + 1) + ">", id);
    return id;
  }

  private static String firstLine(EtcdctlWatch w) {
    return w.output().lines().findFirst().orElse("") + "\n";
  }

  private static String substitute(String arg, Map<String, Long> leases) {
    for (Map.Entry<String, Long> e : leases.entrySet()) {
      arg = arg.replace(e.getKey(), Long.toHexString(e.getValue()));
    }
    return arg;
  }

  static String mask(
      String s,
      Map<String, Long> leases,
      String memberId,
      String clusterId,
      int clientPort,
      int peerPort) {
    for (Map.Entry<String, Long> e : leases.entrySet()) {
      s =
          s.replace(String.format("%016x", e.getValue()), e.getKey())
              .replace(Long.toHexString(e.getValue()), e.getKey())
              .replace(Long.toString(e.getValue()), e.getKey());
    }
    s = EtcdctlCompatibilityTest.normalize(s, memberId, clusterId, clientPort, peerPort);
    s = s.replaceAll("remaining\\(\\d+s\\)", "remaining(<ttl>s)");
    s = s.replaceAll("\"ttl\":\\d+", "\"ttl\":<ttl>");
    Matcher keys = Pattern.compile("attached keys\\(\\[([^\\]]*)\\]\\)").matcher(s);
    StringBuilder b = new StringBuilder();
    while (keys.find()) {
      String[] k = keys.group(1).split(" ");
      Arrays.sort(k);
      keys.appendReplacement(
          b, Matcher.quoteReplacement("attached keys([" + String.join(" ", k) + "])"));
    }
    keys.appendTail(b);
    Matcher json = Pattern.compile("\"keys\":\\[([^\\]]*)\\]").matcher(b.toString());
    StringBuilder j = new StringBuilder();
    while (json.find()) {
      String[] k = json.group(1).split(",");
      Arrays.sort(k);
      json.appendReplacement(j, Matcher.quoteReplacement("\"keys\":[" + String.join(",", k) + "]"));
    }
    json.appendTail(j);
    return j.toString();
  }

  private static String group(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in " + s);
    }
    return m.group(1);
  }
}
