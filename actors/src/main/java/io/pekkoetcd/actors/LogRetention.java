package io.pekkoetcd.actors;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * How far the Raft log may be compacted: every {@code interval} durable applied entries, up to
 * {@code catchUpEntries} behind the durable applied index — except where a follower that was sent a
 * snapshot still needs the entries after it. Pure (no actor, no clock); owned by the member's
 * {@link ReadyLoop}, told of snapshot transfers by the leader's {@link SnapshotSenders}.
 *
 * <p>Why the holds (etcd's {@code inflightSnapshots}): a follower that installs a snapshot at index
 * S asks for the entries from S+1. If the leader compacted past S while the store was streaming (a
 * large store under write load takes seconds), the follower is sent another snapshot, and under
 * sustained load it never catches up. So, as etcd does, no compaction while a transfer is running;
 * and because this log is compacted far more often than etcd's (every {@link
 * MemberConfig#compactionInterval()} entries, not every 100,000), a delivered snapshot also holds
 * the log at the follower's match index (at least S) until the follower has caught up to the
 * compaction point, at most {@link #MAX_HELD_ENTRIES} entries behind it: a follower that stops
 * after its snapshot, or cannot keep up, does not keep the leader's log on its heap for ever.
 */
final class LogRetention {

  /**
   * The most entries a delivered snapshot holds beyond the usual compaction point: etcd 3.4's
   * default {@code --snapshot-count}, the most entries etcd itself keeps on the heap between two
   * snapshots.
   */
  static final long MAX_HELD_ENTRIES = 100_000;

  /** No compaction now. */
  static final long NONE = -1;

  /** Told what the retention did that an operator may want to read in the log. */
  interface Listener {
    /** A compaction was due but waits for the transfers to {@code peers} (once per pause). */
    void paused(Set<Long> peers);

    /** A follower's hold was released for another reason than having caught up. */
    void holdReleased(long peer, long heldAt, String why);
  }

  private final long catchUpEntries;
  private final long interval;
  private final long maxHeldEntries;
  private final Listener listener;
  private boolean pauseTold;
  private long compactedIndex;

  /** Peer → the index of the snapshot being streamed to it. */
  private final Map<Long, Long> transfers = new HashMap<>();

  /** Peer → the index of the snapshot it was delivered (the log is kept after it). */
  private final Map<Long, Long> holds = new HashMap<>();

  LogRetention(long catchUpEntries, long interval, long maxHeldEntries, Listener listener) {
    this.catchUpEntries = catchUpEntries;
    this.interval = interval;
    this.maxHeldEntries = maxHeldEntries;
    this.listener = listener;
  }

  /** The log now starts after {@code index} (recovered, compacted, or a snapshot installed). */
  void compacted(long index) {
    compactedIndex = Math.max(compactedIndex, index);
  }

  /** A snapshot at {@code snapshotIndex} is being streamed to {@code peer}. */
  void transferStarted(long peer, long snapshotIndex) {
    transfers.put(peer, snapshotIndex);
  }

  /** The transfer to {@code peer} ended; a delivered snapshot holds the log after it. */
  void transferEnded(long peer, boolean delivered) {
    Long index = transfers.remove(peer);
    if (transfers.isEmpty()) {
      pauseTold = false;
    }
    if (delivered && index != null) {
      holds.put(peer, index);
    }
  }

  /** This member stopped leading: its transfers were stopped and no follower waits on it. */
  void leaderLeft() {
    transfers.clear();
    pauseTold = false;
    holds.clear();
  }

  int holds() {
    return holds.size();
  }

  /**
   * The index to compact the log to now, or {@link #NONE}.
   *
   * @param durableIndex the applied index the MVCC store has made durable
   * @param lastIndex the log's last index (the compaction point never passes it)
   * @param matchOf a follower's match index as the leader's progress has it, or a negative number
   *     when it is no longer a member; asked only for followers holding the log
   */
  long compactionPoint(long durableIndex, long lastIndex, LongUnaryOperator matchOf) {
    long usual = durableIndex - catchUpEntries; // where the log is compacted with no holds
    if (usual - compactedIndex < interval || usual > lastIndex) {
      return NONE;
    }
    if (!transfers.isEmpty()) {
      if (!pauseTold) {
        pauseTold = true;
        listener.paused(new HashSet<>(transfers.keySet()));
      }
      return NONE;
    }
    long point = usual;
    for (Iterator<Map.Entry<Long, Long>> it = holds.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Long> hold = it.next();
      long peer = hold.getKey();
      long match = matchOf.applyAsLong(peer);
      long needs = Math.max(match, hold.getValue());
      if (match < 0) {
        it.remove();
        listener.holdReleased(peer, needs, "no longer a member");
      } else if (needs >= usual) {
        it.remove(); // caught up: the usual tail covers it
      } else if (usual - needs > maxHeldEntries) {
        it.remove();
        listener.holdReleased(peer, needs, "more than " + maxHeldEntries + " entries behind");
      } else {
        point = Math.min(point, needs);
      }
    }
    return point - compactedIndex >= interval ? point : NONE;
  }
}
