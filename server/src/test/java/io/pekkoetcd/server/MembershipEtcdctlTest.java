package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' operator procedure (seed 003), verbatim with the real etcdctl on three members: {@code
 * member list}, {@code member remove} a killed member, {@code member add} its replacement, start it
 * with {@code --initial-cluster-state existing} and the environment {@code member add} printed,
 * {@code endpoint health} on all three, and the new member's data equal ({@code endpoint hashkv}).
 * Then the new member, running, is removed again: it stops by itself.
 */
class MembershipEtcdctlTest {
  @TempDir Path dir;

  @Test
  void seed003ReplacesAKilledMember() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl (Debian etcd-client) is not installed");
    try (ThreeMemberCluster cluster = ThreeMemberCluster.start(dir)) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(30));
      for (int i = 0; i < 20; i++) {
        assertThat(ok(cluster.endpoint(leader), "put", "seed003/k" + i, "v" + i)).contains("OK");
      }
      int killed = (leader + 1) % ThreeMemberCluster.SIZE;
      int survivor = (leader + 2) % ThreeMemberCluster.SIZE;
      cluster.stop(killed);
      String endpoints = cluster.endpoint(leader) + "," + cluster.endpoint(survivor);

      String list = ok(endpoints, "member", "list");
      String killedId = idOf(list, ThreeMemberCluster.name(killed));
      String removed = ok(endpoints, "member", "remove", killedId);
      assertThat(removed).matches("Member +" + killedId + " removed from cluster +[0-9a-f]+\\s*");
      assertThat(ok(endpoints, "member", "list")).doesNotContain(killedId);

      int newClient = InProcessMember.freePort();
      int newPeer = InProcessMember.freePort();
      String peerUrl = "http://127.0.0.1:" + newPeer;
      String added = ok(endpoints, "member", "add", "m3", "--peer-urls=" + peerUrl);
      assertThat(added).containsPattern("Member +[0-9a-f]+ added to cluster +[0-9a-f]+");
      String initialCluster = env(added, "ETCD_INITIAL_CLUSTER");
      assertThat(env(added, "ETCD_INITIAL_CLUSTER_STATE")).isEqualTo("existing");
      assertThat(ok(endpoints, "member", "list")).contains("unstarted");

      String clientUrl = "http://127.0.0.1:" + newClient;
      // the environment member add printed, as etcd's documentation has the new member started
      assertThat(env(added, "ETCD_INITIAL_ADVERTISE_PEER_URLS")).isEqualTo(peerUrl);
      MemberRunner.Running joined =
          join(dir.resolve("m3"), env(added, "ETCD_NAME"), newClient, newPeer, initialCluster);
      try {
        String all = endpoints + "," + clientUrl;
        ThreeMemberCluster.await(
            Duration.ofSeconds(30),
            "endpoint health on all three",
            () -> run(all, "endpoint", "health").exitCode() == 0);
        String health = ok(all, "endpoint", "health");
        assertThat(health.lines().filter(l -> l.contains("is healthy"))).hasSize(3);
        ThreeMemberCluster.await(
            Duration.ofSeconds(30),
            "equal hashkv on all three",
            () -> distinctHashes(run(all, "endpoint", "hashkv").output()) == 1);
        assertThat(ok(clientUrl, "get", "seed003/k7", "--print-value-only")).isEqualTo("v7\n");
        String listed = ok(all, "member", "list");
        assertThat(listed).contains(", started, m3, " + peerUrl + ", " + clientUrl);
        assertThat(listed.lines()).hasSize(3);

        // A running member removed: it stops by itself (etcd: "the member has been permanently
        // removed from the cluster", exit 1), and the other two go on as a cluster of two.
        String joinedId = idOf(listed, "m3");
        assertThat(ok(endpoints, "member", "remove", joinedId)).contains("removed from cluster");
        joined
            .member()
            .system()
            .getWhenTerminated()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        assertThat(ok(endpoints, "member", "list").lines()).hasSize(2);
        assertThat(ok(endpoints, "put", "seed003/after-removal", "x")).isEqualTo("OK\n");
      } finally {
        if (!joined.member().system().getWhenTerminated().toCompletableFuture().isDone()) {
          joined.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Starts a member in this JVM with {@code --initial-cluster-state existing} (it joins). */
  static MemberRunner.Running join(
      Path dataDir, String name, int client, int peer, String initialCluster) throws Exception {
    List<String> flags =
        ThreeMemberCluster.memberFlags(name, dataDir, client, peer, initialCluster);
    flags.addAll(List.of("--initial-cluster-state", "existing"));
    ParseResult.Run run =
        (ParseResult.Run) EtcdConfigParser.parse(flags.toArray(String[]::new), Map.of());
    var member = MemberRunner.resolve(run.config());
    return MemberRunner.run(
            member, MemberRunner.systemConfig(member, "127.0.0.1", peer), "127.0.0.1", client)
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  static String ok(String endpoints, String... args) throws Exception {
    Etcdctl.Result r = Etcdctl.run(endpoints, null, args);
    assertThat(r.exitCode()).as("etcdctl %s: %s", String.join(" ", args), r.output()).isZero();
    return r.output();
  }

  static Etcdctl.Result run(String endpoints, String... args) {
    try {
      return Etcdctl.run(endpoints, null, args);
    } catch (Exception e) {
      return new Etcdctl.Result(-1, e.toString());
    }
  }

  /** The hex ID of the member named {@code name} in {@code member list}'s output. */
  static String idOf(String memberList, String name) {
    for (String line : memberList.split("\n")) {
      String[] f = line.split(", ");
      if (f.length >= 3 && f[2].equals(name)) {
        return f[0];
      }
    }
    throw new AssertionError("no member " + name + " in\n" + memberList);
  }

  /** {@code NAME="value"} from {@code member add}'s output. */
  static String env(String out, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "=\"([^\"]*)\"").matcher(out);
    assertThat(m.find()).as("%s in %s", name, out).isTrue();
    return m.group(1);
  }

  static long distinctHashes(String hashkv) {
    return hashkv
        .lines()
        .map(l -> l.replaceAll("^.*, ", ""))
        .filter(l -> !l.isBlank())
        .distinct()
        .count();
  }
}
