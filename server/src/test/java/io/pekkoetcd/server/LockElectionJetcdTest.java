package io.pekkoetcd.server;

import static io.pekkoetcd.server.KvJetcdTest.bs;
import static io.pekkoetcd.server.KvJetcdTest.get;
import static io.pekkoetcd.server.KvJetcdTest.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.election.LeaderResponse;
import io.etcd.jetcd.election.NoLeaderException;
import io.etcd.jetcd.election.NotLeaderException;
import io.etcd.jetcd.lock.LockResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lock and Election services through jetcd's Lock and Election clients against a real member: a
 * second locker waits until the first unlocks; a second candidate waits until the leader resigns;
 * proclaim, leader, observe, and the election errors jetcd maps by their exact message.
 */
class LockElectionJetcdTest {
  @TempDir static Path dir;
  static InProcessMember member;
  static Client client;

  @BeforeAll
  static void start() throws Exception {
    member = InProcessMember.start(dir.resolve("data"), "lock-test");
    client = Client.builder().endpoints(member.endpoint()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    member.close();
  }

  static long lease() throws Exception {
    return get(client.getLeaseClient().grant(60)).getID();
  }

  @Test
  void aSecondLockerWaitsForTheFirstToUnlock() throws Exception {
    Lock lock = client.getLockClient();
    long l1 = lease();
    long l2 = lease();
    LockResponse first = get(lock.lock(bs("mtx"), l1));
    assertThat(str(first.getKey())).isEqualTo("mtx/" + Long.toHexString(l1));
    CompletableFuture<LockResponse> second = lock.lock(bs("mtx"), l2);
    // the second holds a key under the lock's prefix, created after the first's
    ThreeMemberCluster.await(
        Duration.ofSeconds(10),
        "the second locker's key",
        () -> kvCount("mtx/" + Long.toHexString(l2)) == 1);
    assertThat(second).isNotDone();
    get(lock.unlock(first.getKey()));
    LockResponse got = second.get(10, TimeUnit.SECONDS);
    assertThat(str(got.getKey())).isEqualTo("mtx/" + Long.toHexString(l2));
    assertThat(got.getHeader().getRevision()).isGreaterThan(first.getHeader().getRevision());
    get(lock.unlock(got.getKey()));
    // locking again with the same lease takes the same key
    LockResponse again = get(lock.lock(bs("mtx"), l1));
    assertThat(again.getKey()).isEqualTo(first.getKey());
    get(lock.unlock(again.getKey()));
  }

  @Test
  void aLockWhoseLeaseIsRevokedIsReleased() throws Exception {
    Lock lock = client.getLockClient();
    long l1 = lease();
    long l2 = lease();
    get(lock.lock(bs("rv"), l1));
    CompletableFuture<LockResponse> second = lock.lock(bs("rv"), l2);
    ThreeMemberCluster.await(
        Duration.ofSeconds(10),
        "the second locker's key",
        () -> kvCount("rv/" + Long.toHexString(l2)) == 1);
    get(client.getLeaseClient().revoke(l1));
    assertThat(str(second.get(10, TimeUnit.SECONDS).getKey()))
        .isEqualTo("rv/" + Long.toHexString(l2));
  }

  static long kvCount(String key) {
    try {
      return get(client.getKVClient().get(bs(key))).getCount();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void campaignProclaimObserveAndResign() throws Exception {
    Election election = client.getElectionClient();
    ByteSequence name = bs("elect");
    Throwable none = catchThrowable(() -> election.leader(name).get(10, TimeUnit.SECONDS));
    assertThat(none).hasCauseInstanceOf(NoLeaderException.class);

    List<String> observed = new CopyOnWriteArrayList<>();
    election.observe(
        name,
        new Election.Listener() {
          @Override
          public void onNext(LeaderResponse r) {
            observed.add(str(r.getKv().getValue()));
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });

    long l1 = lease();
    long l2 = lease();
    CampaignResponse a = get(election.campaign(name, l1, bs("a")));
    LeaderKey leaderA = a.getLeader();
    assertThat(str(leaderA.getKey())).isEqualTo("elect/" + Long.toHexString(l1));
    assertThat(leaderA.getLease()).isEqualTo(l1);
    assertThat(str(get(election.leader(name)).getKv().getValue())).isEqualTo("a");

    CompletableFuture<CampaignResponse> b = election.campaign(name, l2, bs("b"));
    get(election.proclaim(leaderA, bs("a2")));
    assertThat(str(get(election.leader(name)).getKv().getValue())).isEqualTo("a2");
    assertThat(b).isNotDone();

    get(election.resign(leaderA));
    LeaderKey leaderB = b.get(10, TimeUnit.SECONDS).getLeader();
    assertThat(str(get(election.leader(name)).getKv().getValue())).isEqualTo("b");
    Throwable notLeader =
        catchThrowable(() -> election.proclaim(leaderA, bs("x")).get(10, TimeUnit.SECONDS));
    assertThat(notLeader).hasCauseInstanceOf(NotLeaderException.class);

    ThreeMemberCluster.await(
        Duration.ofSeconds(10),
        "observe saw a, a2, b (" + observed + ")",
        () -> observed.equals(List.of("a", "a2", "b")));
    get(election.resign(leaderB));
  }
}
