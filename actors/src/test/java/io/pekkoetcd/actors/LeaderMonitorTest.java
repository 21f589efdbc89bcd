package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.watch.WatchHub;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * etcd's monitorLeader on virtual time: hasleader streams end after three election timeouts without
 * a leader.
 */
class LeaderMonitorTest {
  static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  static final ManualTime time = ManualTime.get(testKit.system());
  static final Duration ELECTION = Duration.ofMillis(500);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Advance one election timeout and answer the monitor's status question with {@code leader}. */
  static void check(TestProbe<RaftNode.Command> raft, long leader) {
    time.timePasses(ELECTION);
    RaftNode.GetStatus g = raft.expectMessageClass(RaftNode.GetStatus.class);
    g.replyTo().tell(new RaftNode.RaftStatus(leader, 2, 10, 0));
  }

  @Test
  void thirdCheckWithoutLeaderEndsHasLeaderStreamsAndALeaderResetsTheCount() {
    TestProbe<RaftNode.Command> raft = testKit.createTestProbe();
    TestProbe<WatchHub.Command> hub = testKit.createTestProbe();
    testKit.spawn(LeaderMonitor.create(raft.getRef(), hub.getRef(), ELECTION));

    check(raft, 7);
    check(raft, 0);
    check(raft, 0);
    check(raft, 7); // leader back before the third check: count starts over
    check(raft, 0);
    check(raft, 0);
    hub.expectNoMessage(Duration.ofMillis(50));
    check(raft, 0);
    assertThat(hub.receiveMessage()).isEqualTo(WatchHub.NoLeader.INSTANCE);
    check(raft, 0); // still none: told again (streams opened meanwhile end too, as in etcd)
    assertThat(hub.receiveMessage()).isEqualTo(WatchHub.NoLeader.INSTANCE);
    check(raft, 7);
    hub.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void nothingHappensBeforeAnElectionTimeoutPasses() {
    TestProbe<RaftNode.Command> raft = testKit.createTestProbe();
    TestProbe<WatchHub.Command> hub = testKit.createTestProbe();
    testKit.spawn(LeaderMonitor.create(raft.getRef(), hub.getRef(), ELECTION));
    time.timePasses(ELECTION.minusMillis(1));
    raft.expectNoMessage(Duration.ofMillis(50));
    time.timePasses(Duration.ofMillis(1));
    raft.expectMessageClass(RaftNode.GetStatus.class);
  }
}
