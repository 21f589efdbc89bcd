package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.mvcc.StoredLease;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The lease actor on ManualTime and an explicit clock: only the leader proposes revokes of expired
 * leases; a leader in a new term restarts every TTL; a follower forwards keep-alives to the leader.
 */
class LeaseActorTest {
  static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  static final ManualTime time = ManualTime.get(testKit.system());
  static final long SELF = 1;
  static final long S = 1_000_000_000L;
  static final Duration CHECK = Duration.ofMillis(500);
  static final Duration ELECTION = Duration.ofSeconds(1);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  final AtomicLong clock = new AtomicLong();
  final List<LeaseActor.Forwarded> forwarded = new CopyOnWriteArrayList<>();
  final TestProbe<RaftNode.Command> raft = testKit.createTestProbe();

  ActorRef<LeaseActor.Command> spawn() {
    return testKit.spawn(
        LeaseActor.create(
            LeaseActor.Settings.of(9, SELF, ELECTION),
            raft.getRef(),
            clock::get,
            (leader, f) -> forwarded.add(f)));
  }

  /** One check: the timer fires, the actor reads the Raft status. */
  void check(long leader, long term) {
    time.timePasses(CHECK);
    RaftNode.GetStatus g = raft.expectMessageClass(RaftNode.GetStatus.class);
    g.replyTo().tell(new RaftNode.RaftStatus(leader, term, 10, 0));
  }

  long revoked() {
    RaftNode.Propose p = raft.expectMessageClass(RaftNode.Propose.class);
    assertThat(p.request().getProposer()).isZero();
    return p.request().getLeaseRevoke().getID();
  }

  @Test
  void onlyTheLeaderRevokesExpiredLeasesAndANewTermRestartsTheirTtl() {
    ActorRef<LeaseActor.Command> leases = spawn();
    leases.tell(new LeaseActor.Reset(List.of(StoredLease.of(5, 2)), 1));
    clock.set(100 * S);
    check(2, 3); // a follower: nothing expires here
    raft.expectNoMessage(Duration.ofMillis(20));
    check(SELF, 4); // promoted at 100 s: expires at 100 + 1 (election) + 2
    raft.expectNoMessage(Duration.ofMillis(20));
    clock.set(102 * S);
    check(SELF, 4);
    raft.expectNoMessage(Duration.ofMillis(20));
    clock.set(103 * S);
    check(SELF, 5); // a new term (stepped down and back unseen): TTLs restart again
    raft.expectNoMessage(Duration.ofMillis(20));
    clock.set(106 * S);
    check(SELF, 5);
    assertThat(revoked()).isEqualTo(5);
    check(SELF, 5); // not again before the retry interval
    raft.expectNoMessage(Duration.ofMillis(20));
    leases.tell(new LeaseActor.Applied(List.of(), List.of(5L), 2));
    clock.set(110 * S);
    check(SELF, 5);
    raft.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void theLeaderAnswersKeepAlivesAndAFollowerForwardsThem() {
    ActorRef<LeaseActor.Command> leases = spawn();
    leases.tell(new LeaseActor.Applied(List.of(StoredLease.of(7, 30)), List.of(), 3));
    TestProbe<LeaseActor.Answer> asker = testKit.createTestProbe();
    leases.tell(new LeaseActor.KeepAlive(7, asker.getRef()));
    // no leader known yet: a fresh status is read first
    RaftNode.GetStatus g = raft.expectMessageClass(RaftNode.GetStatus.class);
    g.replyTo().tell(new RaftNode.RaftStatus(0, 2, 10, 0));
    // an election is under way: it waits for a leader (etcd's waitLeader) up to etcd's request
    // timeout, 5 s and two election timeouts
    asker.expectNoMessage(Duration.ofMillis(20));
    clock.set(5 * S + 2 * ELECTION.toNanos() - 1);
    check(0, 2);
    asker.expectNoMessage(Duration.ofMillis(20));
    clock.set(5 * S + 2 * ELECTION.toNanos());
    check(0, 2);
    assertThat(asker.receiveMessage().error()).isEqualTo(ServerError.NO_LEADER);
    // just elected, before the periodic check saw it: the fresh status promotes the lessor
    leases.tell(new LeaseActor.TimeToLive(7, asker.getRef()));
    raft.expectMessageClass(RaftNode.GetStatus.class)
        .replyTo()
        .tell(new RaftNode.RaftStatus(SELF, 3, 10, 0));
    assertThat(asker.receiveMessage().grantedTtl()).isEqualTo(30);
    check(2, 3);
    leases.tell(new LeaseActor.KeepAlive(7, asker.getRef()));
    raft.expectNoMessage(Duration.ofMillis(20));
    assertThat(forwarded).hasSize(1);
    assertThat(forwarded.get(0).keepAlive()).isTrue();
    check(SELF, 4);
    leases.tell(new LeaseActor.KeepAlive(7, asker.getRef()));
    LeaseActor.Answer a = asker.receiveMessage();
    assertThat(a.ttl()).isEqualTo(30);
    assertThat(a.revision()).isEqualTo(3);
    leases.tell(new LeaseActor.KeepAlive(8, asker.getRef()));
    assertThat(asker.receiveMessage().ttl()).isZero();
    leases.tell(new LeaseActor.TimeToLive(8, asker.getRef()));
    assertThat(asker.receiveMessage().ttl()).isEqualTo(-1);
    leases.tell(new LeaseActor.Forwarded(9, false, 7, asker.getRef()));
    assertThat(asker.receiveMessage().grantedTtl()).isEqualTo(30);
  }

  @Test
  void aKeepAliveWithoutALeaderIsForwardedOnceAnElectionNamesOne() {
    ActorRef<LeaseActor.Command> leases = spawn();
    leases.tell(new LeaseActor.Applied(List.of(StoredLease.of(7, 30)), List.of(), 3));
    TestProbe<LeaseActor.Answer> asker = testKit.createTestProbe();
    leases.tell(new LeaseActor.KeepAlive(7, asker.getRef()));
    raft.expectMessageClass(RaftNode.GetStatus.class)
        .replyTo()
        .tell(new RaftNode.RaftStatus(0, 2, 10, 0));
    clock.set(S);
    check(0, 2);
    assertThat(forwarded).isEmpty();
    check(2, 3);
    asker.expectNoMessage(Duration.ofMillis(20));
    assertThat(forwarded).hasSize(1);
    assertThat(forwarded.get(0).keepAlive()).isTrue();
    assertThat(forwarded.get(0).id()).isEqualTo(7);
  }

  @Test
  void withCheckpointsTheLeaderProposesRemainingTtlsAndClearsThemOnRenew() {
    ActorRef<LeaseActor.Command> leases =
        testKit.spawn(
            LeaseActor.create(
                LeaseActor.Settings.of(9, SELF, ELECTION)
                    .withCheckpointInterval(Duration.ofSeconds(60)),
                raft.getRef(),
                clock::get,
                (leader, f) -> forwarded.add(f)));
    leases.tell(new LeaseActor.Reset(List.of(StoredLease.of(3, 600)), 1));
    check(SELF, 2); // promoted at 0: expires at 601 s
    raft.expectNoMessage(Duration.ofMillis(20));
    clock.set(60 * S);
    check(SELF, 2);
    RaftNode.Propose p = raft.expectMessageClass(RaftNode.Propose.class);
    var cp = p.request().getLeaseCheckpoint().getCheckpoints(0);
    assertThat(cp.getID()).isEqualTo(3);
    assertThat(cp.getRemainingTTL()).isEqualTo(541);
    leases.tell(
        new LeaseActor.Applied(List.of(), List.of(), List.of(new StoredLease(3, 0, 541)), 1));
    TestProbe<LeaseActor.Answer> asker = testKit.createTestProbe();
    leases.tell(new LeaseActor.KeepAlive(3, asker.getRef()));
    assertThat(asker.receiveMessage().ttl()).isEqualTo(600);
    var cleared = raft.expectMessageClass(RaftNode.Propose.class).request().getLeaseCheckpoint();
    assertThat(cleared.getCheckpoints(0).getRemainingTTL()).isZero();
  }
}
