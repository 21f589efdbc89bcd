package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.protocol.etcdserverpb.HashKVRequest;
import io.pekkoetcd.protocol.etcdserverpb.HashKVResponse;
import io.pekkoetcd.protocol.etcdserverpb.Member;
import io.pekkoetcd.protocol.etcdserverpb.MemberListResponse;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members in one JVM over the real peer transport (Pekko Cluster, Artery TCP on loopback):
 * one leader is elected, writes through any member are read through any other (linearizable and
 * serializable), a minority cannot write, a majority survives the loss of its leader, and a
 * restarted member catches up from its data dir.
 */
class ClusterTest {
  @TempDir Path dir;

  static final Duration ELECTION = Duration.ofSeconds(20);

  @Test
  void electsOneLeaderAndServesWritesAndReadsThroughEveryMember() throws Exception {
    try (ThreeMemberCluster c = ThreeMemberCluster.start(dir)) {
      int leader = c.awaitLeader(ELECTION);
      int f1 = (leader + 1) % 3;
      int f2 = (leader + 2) % 3;
      for (int i = 0; i < 3; i++) {
        assertThat(c.status(i).getRaftTerm()).isGreaterThanOrEqualTo(2);
      }

      // Through a follower (forwarded by Raft to the leader), read linearizably through the other
      // follower.
      PutResponse put = put(c.member(f1), "k1", "v1");
      assertThat(put.getHeader().getRevision()).isGreaterThanOrEqualTo(2);
      RangeResponse got = range(c.member(f2), "k1", false);
      assertThat(got.getKvsList()).hasSize(1);
      assertThat(got.getKvs(0).getValue().toStringUtf8()).isEqualTo("v1");
      assertThat(got.getHeader().getRevision()).isEqualTo(put.getHeader().getRevision());

      // Through the leader, then a linearizable read-only txn on a follower sees it at once.
      put(c.member(leader), "k2", "v2");
      TxnResponse txn =
          c.member(f1)
              .txn(
                  TxnRequest.newBuilder()
                      .addSuccess(RequestOp.newBuilder().setRequestRange(rangeRequest("k2", false)))
                      .build())
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertThat(txn.getResponses(0).getResponseRange().getKvs(0).getValue().toStringUtf8())
          .isEqualTo("v2");

      // A serializable read is served locally and catches up without a round trip.
      ThreeMemberCluster.await(
          Duration.ofSeconds(10),
          "serializable read of k2 on every member",
          () -> {
            for (int i = 0; i < 3; i++) {
              if (range(c.member(i), "k2", true).getCount() != 1) {
                return false;
              }
            }
            return true;
          });

      // MemberList names every member of the initial cluster, with the names they announce.
      ThreeMemberCluster.await(
          Duration.ofSeconds(10),
          "every member named in MemberList",
          () -> {
            MemberListResponse list = join(c.member(f2).memberList());
            return list.getMembersCount() == 3
                && list.getMembersList().stream()
                    .allMatch(m -> !m.getName().isEmpty() && m.getClientURLsCount() == 1);
          });
      MemberListResponse list = join(c.member(f2).memberList());
      assertThat(list.getMembersList().stream().map(Member::getName))
          .containsExactlyInAnyOrder("m0", "m1", "m2");
      assertThat(list.getMembersList().stream().map(m -> m.getClientURLs(0)))
          .containsExactlyInAnyOrder(c.endpoint(0), c.endpoint(1), c.endpoint(2));

      long leaders = 0;
      for (int i = 0; i < 3; i++) {
        var st = c.status(i);
        if (st.getLeader() == st.getHeader().getMemberId()) {
          leaders++;
        }
      }
      assertThat(leaders).isEqualTo(1);
    }
  }

  @Test
  void survivesLeaderLossRefusesMinorityWritesAndCatchesUpAfterRestart() throws Exception {
    try (ThreeMemberCluster c = ThreeMemberCluster.start(dir)) {
      int leader = c.awaitLeader(ELECTION);
      for (int i = 0; i < 20; i++) {
        put(c.member(i % 3), "before/" + i, "v" + i);
      }
      long oldTerm = c.status(leader).getRaftTerm();

      // The leader's system stops: the two others elect a new leader and go on writing.
      c.stop(leader);
      int newLeader = c.awaitLeader(ELECTION);
      assertThat(newLeader).isNotEqualTo(leader);
      assertThat(c.status(newLeader).getRaftTerm()).isGreaterThan(oldTerm);
      int survivor = (newLeader + 1) % 3 == leader ? (newLeader + 2) % 3 : (newLeader + 1) % 3;
      put(c.member(survivor), "after-leader-loss", "x");
      assertThat(range(c.member(newLeader), "after-leader-loss", false).getCount()).isEqualTo(1);

      // One of the two stops: the last member alone is a minority and cannot write.
      c.stop(newLeader);
      long started = System.nanoTime();
      ServerException refused =
          expectServerError(c.member(survivor).put(putRequest("minority", "no")));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(refused.error()).isIn(ServerError.REQUEST_TIMED_OUT, ServerError.NO_LEADER);
      assertThat(took).isLessThan(Duration.ofSeconds(6 + 2));
      ServerException readRefused =
          expectServerError(c.member(survivor).range(rangeRequest("before/1", false)));
      assertThat(readRefused.error())
          .isIn(ServerError.REQUEST_TIMED_OUT, ServerError.LEADER_CHANGED, ServerError.NO_LEADER);
      // A serializable read still works, from local state.
      assertThat(range(c.member(survivor), "before/1", true).getCount()).isEqualTo(1);

      // Both come back from their data dirs: a leader again, writes again, and everyone converges.
      c.restart(leader);
      c.restart(newLeader);
      c.awaitLeader(ELECTION);
      put(c.member(leader), "after-restart", "y");
      ThreeMemberCluster.await(
          Duration.ofSeconds(20),
          "same revision and HashKV on every member",
          () -> {
            long rev = -1;
            int hash = 0;
            for (int i = 0; i < 3; i++) {
              HashKVResponse h = join(c.member(i).hashKV(HashKVRequest.getDefaultInstance()));
              if (i == 0) {
                rev = h.getHeader().getRevision();
                hash = h.getHash();
              } else if (rev != h.getHeader().getRevision() || hash != h.getHash()) {
                return false;
              }
            }
            return true;
          });
      for (int i = 0; i < 3; i++) {
        assertThat(range(c.member(i), "after-leader-loss", true).getCount()).isEqualTo(1);
        assertThat(range(c.member(i), "minority", true).getCount()).isZero();
      }
    }
  }

  private static PutRequest putRequest(String key, String value) {
    return PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setValue(ByteString.copyFromUtf8(value))
        .build();
  }

  private static PutResponse put(EtcdMember m, String key, String value) throws Exception {
    return m.put(putRequest(key, value)).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private static RangeRequest rangeRequest(String key, boolean serializable) {
    return RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setSerializable(serializable)
        .build();
  }

  private static RangeResponse range(EtcdMember m, String key, boolean serializable) {
    return join(m.range(rangeRequest(key, serializable)));
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ServerException expectServerError(java.util.concurrent.CompletionStage<?> stage)
      throws Exception {
    try {
      Object r = stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
      return fail("expected a failure, got " + r);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof java.util.concurrent.CompletionException
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof ServerException se) {
        return se;
      }
      if (cause instanceof java.util.concurrent.TimeoutException) {
        return new ServerException(ServerError.REQUEST_TIMED_OUT);
      }
      throw e;
    }
  }
}
