package io.pekkoetcd.server;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same etcdctl 3.4 membership commands against one real etcd 3.4 member and one pekko-etcd
 * member: {@code member add} (learner and voter), {@code list}, {@code promote}, {@code update},
 * {@code remove} and {@code move-leader}, with their refusals. Outputs must be equal once member
 * and cluster IDs (etcd derives an added member's ID from the time) and ports are masked. The added
 * members never start; their peer ports are free ports nobody listens on.
 */
class MembershipEtcdctlCompatibilityTest {
  @TempDir Path dir;

  /**
   * {@code <p1>}, {@code <p2>}: the added members' peer ports; {@code <self>}: the member's ID,
   * {@code <peer>} its peer port; {@code <idN>}: the N-th added member's ID.
   */
  static final List<String[]> STEPS =
      List.of(
          new String[] {"member", "list"},
          new String[] {
            "member", "add", "learner1", "--learner", "--peer-urls=http://127.0.0.1:<p1>"
          },
          new String[] {"member", "list", "-w", "table"},
          new String[] {
            "member", "add", "learner2", "--learner", "--peer-urls=http://127.0.0.1:<p2>"
          },
          new String[] {"member", "promote", "<id1>"},
          new String[] {"member", "promote", "<self>"},
          new String[] {"member", "update", "<self>", "--peer-urls=http://127.0.0.1:<peer>"},
          new String[] {"member", "update", "<self>", "--peer-urls=http://127.0.0.1:<p1>"},
          new String[] {"move-leader", "<self>"},
          new String[] {"move-leader", "<id1>"},
          new String[] {"move-leader", "1234"},
          new String[] {"member", "remove", "<id1>"},
          new String[] {"member", "remove", "<id1>"},
          new String[] {"member", "update", "<id1>", "--peer-urls=http://127.0.0.1:<p1>"},
          new String[] {"member", "promote", "<id1>"},
          new String[] {"member", "remove", "1234"},
          new String[] {"member", "add", "bad", "--peer-urls=http://127.0.0.1"},
          new String[] {"member", "list"},
          // last: a second voter that never starts leaves one member without a quorum
          new String[] {"member", "add", "voter", "--peer-urls=http://127.0.0.1:<p2>"},
          new String[] {"member", "list"});

  @Test
  void membershipCommandsPrintTheSameAsAgainstRealEtcd() throws Exception {
    CompatRun.assertSameAsEtcd(
        dir,
        "membership",
        STEPS.stream().map(step -> String.join(" ", step)).toList(),
        MembershipEtcdctlCompatibilityTest::runAll);
  }

  private static List<String> runAll(String endpoint, int clientPort, int peerPort)
      throws Exception {
    String status = Etcdctl.run(endpoint, null, "endpoint", "status", "-w", "json").output();
    String memberId = group(status, "\"member_id\":(\\d+)");
    String clusterId = group(status, "\"cluster_id\":(\\d+)");
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("<self>", Long.toHexString(Long.parseUnsignedLong(memberId)));
    vars.put("<p1>", String.valueOf(InProcessMember.freePort()));
    vars.put("<p2>", String.valueOf(InProcessMember.freePort()));
    vars.put("<peer>", String.valueOf(peerPort));
    List<String> out = new ArrayList<>();
    for (String[] step : STEPS) {
      String[] args = new String[step.length];
      for (int i = 0; i < step.length; i++) {
        String a = step[i];
        for (Map.Entry<String, String> v : vars.entrySet()) {
          a = a.replace(v.getKey(), v.getValue());
        }
        args[i] = a;
      }
      Etcdctl.Result r = Etcdctl.run(endpoint, null, args);
      Matcher added = Pattern.compile("Member +([0-9a-f]+) added").matcher(r.output());
      if (added.find()) {
        vars.putIfAbsent(
            "<id" + (vars.keySet().stream().filter(k -> k.startsWith("<id")).count() + 1) + ">",
            added.group(1));
      }
      String text = "$ " + String.join(" ", step) + "\nexit " + r.exitCode() + "\n" + r.output();
      for (Map.Entry<String, String> v : vars.entrySet()) {
        if (!v.getKey().equals("<self>") && !v.getKey().equals("<peer>")) {
          text = text.replace(v.getValue(), v.getKey());
          if (v.getKey().startsWith("<id")) {
            // JSON prints IDs in decimal
            text =
                text.replace(
                    Long.toUnsignedString(Long.parseUnsignedLong(v.getValue(), 16)), v.getKey());
          }
        }
      }
      // etcdctl prints IDs with %16x: an ID whose hex has fewer digits is padded with spaces, so
      // the masked forms fold that padding.
      String normalized =
          EtcdctlCompatibilityTest.normalize(text, memberId, clusterId, clientPort, peerPort)
              .replaceAll("Member +<", "Member <")
              .replaceAll(" cluster +<", " cluster <");
      out.add(orderFree(normalized));
    }
    return out;
  }

  /**
   * Members are listed in ID order, and an added member's ID comes from the time of the add: the
   * rows of a member list and the entries of ETCD_INITIAL_CLUSTER are compared as sets.
   */
  static String orderFree(String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("ETCD_INITIAL_CLUSTER=\"")) {
        String body = l.substring("ETCD_INITIAL_CLUSTER=\"".length(), l.length() - 1);
        lines.set(
            i,
            "ETCD_INITIAL_CLUSTER=\""
                + String.join(",", java.util.Arrays.stream(body.split(",")).sorted().toList())
                + "\"");
      } else if (l.matches("^( \\| )?(<[a-z0-9-]+>|[0-9a-f]+)(, | \\| ).*")) {
        rows.add(i);
      }
    }
    List<String> sorted = rows.stream().map(lines::get).sorted().toList();
    for (int k = 0; k < rows.size(); k++) {
      lines.set(rows.get(k), sorted.get(k));
    }
    return String.join("\n", lines) + "\n";
  }

  private static String group(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in " + s);
    }
    return m.group(1);
  }
}
