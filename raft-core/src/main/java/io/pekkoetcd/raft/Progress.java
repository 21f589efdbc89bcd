package io.pekkoetcd.raft;

/**
 * The leader's view of one member's log: {@code match} is the highest index known to be replicated
 * there, {@code next} the next index to send. Invariant: match &lt; next.
 */
final class Progress {

  long match;
  long next;
  ProgressState state = ProgressState.PROBE;

  /**
   * In PROBE: an append was sent and not answered yet (paused until a response or heartbeat
   * response).
   */
  boolean probeSent;

  /** In SNAPSHOT: index of the snapshot in flight. */
  long pendingSnapshot;

  /** In SNAPSHOT: ticks the snapshot has been outstanding (retried as a probe if it was lost). */
  int snapshotTicks;

  /** Heard from since the last check-quorum round. */
  boolean recentActive;

  boolean learner;
  final Inflights inflights;

  Progress(long match, long next, int maxInflight, long maxInflightBytes, boolean learner) {
    this.match = match;
    this.next = next;
    this.inflights = new Inflights(maxInflight, maxInflightBytes);
    this.learner = learner;
  }

  /** Forget everything but learner-ness: a new leader knows nothing about this member yet. */
  void reset(long newMatch, long newNext) {
    resetState(ProgressState.PROBE);
    match = newMatch;
    next = newNext;
    recentActive = false;
  }

  private void resetState(ProgressState newState) {
    probeSent = false;
    pendingSnapshot = 0;
    snapshotTicks = 0;
    state = newState;
    inflights.reset();
  }

  void becomeProbe() {
    if (state == ProgressState.SNAPSHOT) {
      long pending = pendingSnapshot;
      resetState(ProgressState.PROBE);
      next = Math.max(match + 1, pending + 1);
    } else {
      resetState(ProgressState.PROBE);
      next = match + 1;
    }
  }

  void becomeReplicate() {
    resetState(ProgressState.REPLICATE);
    next = match + 1;
  }

  void becomeSnapshot(long snapshotIndex) {
    resetState(ProgressState.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /** An acknowledgement up to {@code n}: returns whether match advanced. */
  boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, n + 1);
    return updated;
  }

  /**
   * Records an append of {@code count} entries ({@code bytes} of them) up to {@code lastIndex} just
   * sent (pipelined in REPLICATE).
   */
  void sentEntries(int count, long bytes, long lastIndex) {
    if (state == ProgressState.REPLICATE) {
      if (count > 0) {
        next = lastIndex + 1;
        inflights.add(lastIndex, bytes);
      }
    } else if (state == ProgressState.PROBE) {
      probeSent = true;
    }
  }

  /**
   * A rejection of the append whose previous index was {@code rejected}; {@code matchHint} is the
   * follower's hint (largest index that may still match). Returns false if the rejection is stale.
   */
  boolean maybeDecreaseTo(long rejected, long matchHint) {
    if (state == ProgressState.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    probeSent = false;
    return true;
  }

  /** Whether the leader must hold back appends to this member now. */
  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.full();
      case SNAPSHOT -> true;
    };
  }

  @Override
  public String toString() {
    return state
        + " match="
        + match
        + " next="
        + next
        + (learner ? " learner" : "")
        + (probeSent ? " paused" : "")
        + (state == ProgressState.SNAPSHOT ? " pendingSnap=" + pendingSnapshot : "")
        + (inflights.count() > 0 ? " inflight=" + inflights.count() : "");
  }
}
