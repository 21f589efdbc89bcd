package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where the leader may compact its log while followers are sent snapshots: never during a transfer
 * (etcd's inflightSnapshots), and after a delivered one not past what that follower still needs,
 * within a bound.
 */
class LogRetentionTest {
  private static final long CATCH_UP = 100;
  private static final long INTERVAL = 1_000;
  private static final long MAX_HELD = 5_000;
  private static final long LAST = Long.MAX_VALUE;
  private static final long PEER = 2;

  private final List<String> told = new ArrayList<>();
  private final Map<Long, Long> match = new HashMap<>();

  private final LogRetention retention =
      new LogRetention(
          CATCH_UP,
          INTERVAL,
          MAX_HELD,
          new LogRetention.Listener() {
            @Override
            public void paused(Set<Long> peers) {
              told.add("paused " + peers);
            }

            @Override
            public void holdReleased(long peer, long heldAt, String why) {
              told.add("released " + peer + " at " + heldAt + ": " + why);
            }
          });

  private long point(long durable) {
    return retention.compactionPoint(durable, LAST, p -> match.getOrDefault(p, -1L));
  }

  private void compactAt(long durable) {
    long p = point(durable);
    assertThat(p).isNotEqualTo(LogRetention.NONE);
    retention.compacted(p);
  }

  @Test
  void withoutTransfersEveryIntervalKeepingTheCatchUpTail() {
    assertThat(point(INTERVAL + CATCH_UP - 1)).isEqualTo(LogRetention.NONE);
    assertThat(point(INTERVAL + CATCH_UP)).isEqualTo(INTERVAL);
    retention.compacted(INTERVAL);
    assertThat(point(INTERVAL + CATCH_UP + 10)).isEqualTo(LogRetention.NONE);
    assertThat(point(2 * INTERVAL + CATCH_UP)).isEqualTo(2 * INTERVAL);
    // Never past the log's end.
    assertThat(retention.compactionPoint(2 * INTERVAL + CATCH_UP, 2 * INTERVAL - 1, p -> -1))
        .isEqualTo(LogRetention.NONE);
    assertThat(told).isEmpty();
  }

  @Test
  void noCompactionWhileASnapshotIsStreamedToldOnce() {
    compactAt(INTERVAL + CATCH_UP);
    retention.transferStarted(PEER, INTERVAL);
    assertThat(point(3 * INTERVAL)).isEqualTo(LogRetention.NONE);
    assertThat(point(4 * INTERVAL)).isEqualTo(LogRetention.NONE);
    assertThat(told).containsExactly("paused [2]");

    // A failed transfer holds nothing: compaction resumes at once.
    retention.transferEnded(PEER, false);
    assertThat(point(4 * INTERVAL)).isEqualTo(4 * INTERVAL - CATCH_UP);
    assertThat(retention.holds()).isZero();
  }

  @Test
  void aDeliveredSnapshotHoldsTheLogAtTheFollowersMatchUntilItCatchesUp() {
    compactAt(INTERVAL + CATCH_UP);
    retention.transferStarted(PEER, INTERVAL);
    retention.transferEnded(PEER, true);
    match.put(PEER, 500L); // the follower's old match: the hold is at least the snapshot's index

    // Far ahead of the follower: held at the snapshot's index, which is already compacted.
    assertThat(point(4 * INTERVAL)).isEqualTo(LogRetention.NONE);

    // The follower moves, but not an interval past the last compaction yet.
    match.put(PEER, INTERVAL + 900);
    assertThat(point(4 * INTERVAL)).isEqualTo(LogRetention.NONE);

    // An interval past it: compacted up to the follower, not to the usual point.
    match.put(PEER, 2 * INTERVAL + 10);
    assertThat(point(4 * INTERVAL)).isEqualTo(2 * INTERVAL + 10);
    retention.compacted(2 * INTERVAL + 10);

    // Caught up to the usual point: the hold is gone, the usual tail applies.
    match.put(PEER, 4 * INTERVAL);
    assertThat(point(4 * INTERVAL)).isEqualTo(4 * INTERVAL - CATCH_UP);
    assertThat(retention.holds()).isZero();
    assertThat(told).isEmpty();
  }

  @Test
  void aHoldIsReleasedWhenTheFollowerFallsTooFarBehindOrLeaves() {
    retention.transferStarted(PEER, 0);
    retention.transferEnded(PEER, true);
    retention.transferStarted(3, 0);
    retention.transferEnded(3, true);
    match.put(PEER, 10L);
    match.put(3L, 20L);

    long durable = CATCH_UP + MAX_HELD + 10; // the usual point is MAX_HELD + 10
    assertThat(point(durable)).isEqualTo(LogRetention.NONE); // held at 10 by PEER
    match.put(PEER, INTERVAL + 5);
    assertThat(point(durable)).isEqualTo(LogRetention.NONE); // still held at 20 by peer 3

    // Peer 3 is now more than MAX_HELD behind the usual point: released, told.
    durable = CATCH_UP + MAX_HELD + 21;
    assertThat(point(durable)).isEqualTo(INTERVAL + 5);
    assertThat(told).containsExactly("released 3 at 20: more than 5000 entries behind");
    retention.compacted(INTERVAL + 5);

    // PEER removed from the cluster: released, compaction to the usual point.
    match.remove(PEER);
    durable = 3 * INTERVAL;
    assertThat(point(durable)).isEqualTo(durable - CATCH_UP);
    assertThat(told).hasSize(2).last().asString().startsWith("released 2 at ");
    assertThat(retention.holds()).isZero();
  }

  @Test
  void steppingDownDropsTransfersAndHolds() {
    retention.transferStarted(PEER, 0);
    retention.transferStarted(3, 0);
    retention.transferEnded(3, true);
    match.put(3L, 0L);
    retention.leaderLeft();
    assertThat(retention.holds()).isZero();
    assertThat(point(INTERVAL + CATCH_UP)).isEqualTo(INTERVAL);
    // A late report of the stopped transfer holds nothing.
    retention.transferEnded(PEER, true);
    assertThat(retention.holds()).isZero();
  }
}
