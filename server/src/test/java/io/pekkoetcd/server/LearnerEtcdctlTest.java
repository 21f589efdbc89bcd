package io.pekkoetcd.server;

import static io.pekkoetcd.server.MembershipEtcdctlTest.env;
import static io.pekkoetcd.server.MembershipEtcdctlTest.idOf;
import static io.pekkoetcd.server.MembershipEtcdctlTest.ok;
import static io.pekkoetcd.server.MembershipEtcdctlTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learners and leadership transfer with the real etcdctl on three members: {@code member add
 * --learner}; a promote while the learner is not in sync (not started yet) is refused with etcd's
 * error; the learner starts with {@code existing}, refuses linearizable reads and writes, serves
 * serializable ones, catches up ({@code endpoint hashkv} through a voter equal to its store), and
 * {@code member promote} — sent to a follower, which asks the leader — makes it a voter. Then
 * {@code move-leader} hands leadership to each follower in turn.
 */
class LearnerEtcdctlTest {
  @TempDir Path dir;

  @Test
  void learnerCatchesUpIsPromotedAndLeadershipMovesToEachFollower() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl (Debian etcd-client) is not installed");
    try (ThreeMemberCluster cluster = ThreeMemberCluster.start(dir)) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(30));
      String all3 = cluster.endpoint(0) + "," + cluster.endpoint(1) + "," + cluster.endpoint(2);
      for (int i = 0; i < 10; i++) {
        ok(cluster.endpoint(leader), "put", "learner/k" + i, "v" + i);
      }
      int newClient = InProcessMember.freePort();
      int newPeer = InProcessMember.freePort();
      String peerUrl = "http://127.0.0.1:" + newPeer;
      String added = ok(all3, "member", "add", "m3", "--learner", "--peer-urls=" + peerUrl);
      assertThat(added).containsPattern("Member +[0-9a-f]+ added to cluster +[0-9a-f]+");
      // etcdctl prints the ID with %16x: space-padded
      String learnerId = added.replaceAll("(?s).*Member +([0-9a-f]+) added.*", "$1");
      assertThat(ok(all3, "member", "list"))
          .contains(learnerId + ", unstarted, , " + peerUrl + ", , true");
      // a second learner: etcd 3.4 allows one
      Etcdctl.Result second =
          run(all3, "member", "add", "m4", "--learner", "--peer-urls=http://127.0.0.1:1");
      assertThat(second.output()).contains("etcdserver: too many learner members in cluster");

      // not started: its log is far behind the leader's
      Etcdctl.Result early = run(cluster.endpoint(leader), "member", "promote", learnerId);
      assertThat(early.exitCode()).isNotZero();
      assertThat(early.output())
          .contains("etcdserver: can only promote a learner member which is in sync with leader");

      MemberRunner.Running learner =
          MembershipEtcdctlTest.join(
              dir.resolve("m3"), "m3", newClient, newPeer, env(added, "ETCD_INITIAL_CLUSTER"));
      try {
        String learnerUrl = "http://127.0.0.1:" + newClient;
        ThreeMemberCluster.await(
            Duration.ofSeconds(30),
            "the learner serves the keys (serializable)",
            () ->
                run(learnerUrl, "get", "learner/k9", "--consistency=s", "--print-value-only")
                    .output()
                    .equals("v9\n"));
        Etcdctl.Result linearizable = run(learnerUrl, "get", "learner/k9");
        assertThat(linearizable.output()).contains("etcdserver: rpc not supported for learner");
        Etcdctl.Result write = run(learnerUrl, "put", "learner/x", "1");
        assertThat(write.output()).contains("etcdserver: rpc not supported for learner");
        // etcd's stream interceptor: every streaming RPC is refused on a learner
        Etcdctl.Result snapshot =
            run(learnerUrl, "snapshot", "save", dir.resolve("learner.db").toString());
        assertThat(snapshot.output()).contains("etcdserver: rpc not supported for learner");
        io.grpc.ManagedChannel ch =
            io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", newClient).usePlaintext().build();
        try {
          assertThat(
                  AuthEveryRpcTest.bidi(
                      (io.grpc.stub.StreamObserver<io.etcd.jetcd.api.WatchResponse> o) ->
                          io.etcd.jetcd.api.WatchGrpc.newStub(ch).watch(o),
                      io.etcd.jetcd.api.WatchRequest.newBuilder()
                          .setCreateRequest(
                              io.etcd.jetcd.api.WatchCreateRequest.newBuilder()
                                  .setKey(com.google.protobuf.ByteString.copyFromUtf8("learner/")))
                          .build(),
                      r -> "created " + r.getCreated()))
              .isEqualTo("UNAVAILABLE etcdserver: rpc not supported for learner");
          assertThat(
                  AuthEveryRpcTest.bidi(
                      (io.grpc.stub.StreamObserver<io.etcd.jetcd.api.LeaseKeepAliveResponse> o) ->
                          io.etcd.jetcd.api.LeaseGrpc.newStub(ch).leaseKeepAlive(o),
                      io.etcd.jetcd.api.LeaseKeepAliveRequest.newBuilder().setID(1).build(),
                      r -> "ttl " + r.getTTL()))
              .isEqualTo("UNAVAILABLE etcdserver: rpc not supported for learner");
        } finally {
          ch.shutdownNow();
        }
        assertThat(ok(learnerUrl, "endpoint", "status")).contains(", true, ");

        int follower = (leader + 1) % ThreeMemberCluster.SIZE;
        String promoted = ok(cluster.endpoint(follower), "member", "promote", learnerId);
        assertThat(promoted)
            .matches("Member +" + learnerId + " promoted in cluster +[0-9a-f]+\\s*");
        String list = ok(all3, "member", "list");
        assertThat(list).contains(learnerId + ", started, m3, " + peerUrl);
        assertThat(list.lines().filter(l -> l.endsWith(", true"))).isEmpty();
        assertThat(ok(learnerUrl, "get", "learner/k3", "--print-value-only")).isEqualTo("v3\n");
        Etcdctl.Result again = run(all3, "member", "promote", learnerId);
        assertThat(again.output()).contains("etcdserver: can only promote a learner member");

        // move-leader to every other member in turn, the new voter included
        String all4 = all3 + "," + learnerUrl;
        java.util.List<String> ids =
            ok(all4, "member", "list").lines().map(l -> l.split(", ")[0]).toList();
        int moves = 0;
        for (String to : ids) {
          String from = leaderId(ok(all4, "endpoint", "status"));
          if (to.equals(from)) {
            continue;
          }
          String moved = ok(all4, "move-leader", to);
          assertThat(moved).isEqualTo("Leadership transferred from " + from + " to " + to + "\n");
          ThreeMemberCluster.await(
              Duration.ofSeconds(10),
              "every member names " + to + " leader",
              () -> leaderId(run(all4, "endpoint", "status").output()).equals(to));
          moves++;
        }
        assertThat(moves)
            .as("moves to every member that was not leading at its turn")
            .isBetween(3, 4);
        // to a follower's endpoint only: etcd's "not leader"
        String status = ok(all4, "endpoint", "status");
        String followerUrl =
            status
                .lines()
                .filter(l -> l.contains(", false, false, "))
                .findFirst()
                .orElseThrow()
                .split(", ")[0];
        Etcdctl.Result notLeader = run(followerUrl, "move-leader", idOf(list, "m0"));
        assertThat(notLeader.output()).contains("no leader endpoint given at");
      } finally {
        learner.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The ID of the member that calls itself leader in {@code endpoint status}'s output. */
  static String leaderId(String endpointStatus) {
    return endpointStatus
        .lines()
        .filter(l -> l.contains(", true, false, "))
        .map(l -> l.split(", ")[1])
        .findFirst()
        .orElse("");
  }
}
