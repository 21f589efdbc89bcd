package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.watch.WatchChecker;
import io.pekkoetcd.testkit.wire.WatchWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's watch guarantees (ordered, unique, atomic, reliable, resumable, prevKV, isCreate; see
 * {@link WatchChecker}) over the seeded {@link WatchWorkload}: 3 concurrent writers, 100 watch
 * streams with different ranges, filters, prev_kv and start revisions — some created mid-workload
 * from a past revision — one of which stops reading until the workload is over (on a connection
 * with a 64 KiB window, so it becomes a victim). The seed is printed; {@code -Dwatch.seed=N}
 * replays it.
 */
class WatchGuaranteesTest {
  @TempDir Path dir;

  /** One member serves everything. */
  @Test
  void everyWatcherGetsExactlyTheHistoryItAskedFor() throws Exception {
    long seed = Long.getLong("watch.seed", System.nanoTime());
    System.out.println("WatchGuaranteesTest (one member) seed " + seed);
    try (InProcessMember member = InProcessMember.start(dir.resolve("data"), "guarantees");
        WatchWorkload w = new WatchWorkload(seed, members(1, i -> member.port()), 200, 0)) {
      w.openInitial();
      w.startWriters();
      w.awaitWritten(1.0 / 3);
      w.openLate();
      List<String> violations = w.finishAndCheck();
      assertThat(violations).as("seed " + seed).isEmpty();
    }
  }

  /**
   * Three members: writes go through all of them in turn, watchers are spread over them, and the
   * leader's member is stopped halfway: streams on the survivors keep every guarantee through the
   * leader change, and the stopped member's watchers resume on a survivor from the revision after
   * their last event.
   */
  @Test
  void guaranteesHoldAcrossMembersAndALeaderChange() throws Exception {
    long seed = Long.getLong("watch.seed", System.nanoTime());
    System.out.println("WatchGuaranteesTest (three members, leader stopped) seed " + seed);
    try (ThreeMemberCluster c = ThreeMemberCluster.start(dir)) {
      int leader = c.awaitLeader(Duration.ofSeconds(30));
      int stalledOn = (leader + 1) % ThreeMemberCluster.SIZE;
      try (WatchWorkload w =
          new WatchWorkload(
              seed, members(ThreeMemberCluster.SIZE, c::clientPort), 120, stalledOn)) {
        w.openInitial();
        w.startWriters();
        w.awaitWritten(1.0 / 3);
        w.openLate();
        w.awaitWritten(1.0 / 2);
        int current = c.awaitLeader(Duration.ofSeconds(30));
        int resumed = w.stopMember(current, () -> c.stop(current));
        System.out.println(
            "stopped leader m" + current + "; " + resumed + " of its watchers resumed elsewhere");
        assertThat(resumed).as("watchers resumed on another member").isPositive();
        List<String> violations = w.finishAndCheck();
        assertThat(violations).as("seed " + seed + ", stopped leader m" + current).isEmpty();
      }
    }
  }

  private static WatchWorkload.Members members(int size, java.util.function.IntUnaryOperator port) {
    return new WatchWorkload.Members() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public int port(int m) {
        return port.applyAsInt(m);
      }
    };
  }
}
