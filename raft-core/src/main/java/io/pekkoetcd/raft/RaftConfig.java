package io.pekkoetcd.raft;

import java.util.random.RandomGenerator;

/**
 * Configuration of one member's Raft state machine. Times are in ticks (the caller decides a tick's
 * length, e.g. etcd's 100 ms heartbeat interval); randomness comes only from {@code random}, so a
 * seeded generator makes a run reproducible.
 *
 * @param id this member's id (non-zero)
 * @param electionTicks a follower campaigns after [electionTicks, 2·electionTicks) ticks without a
 *     leader
 * @param heartbeatTicks the leader's heartbeat interval; must be below electionTicks
 * @param maxBytesPerMsg soft limit on the size of entries per append ({@link Entry#sizeBytes()}; at
 *     least one entry is always sent)
 * @param maxInflightMsgs pipelined appends per follower before waiting for acknowledgements
 * @param maxInflightBytes entry bytes in those appends before waiting for acknowledgements (etcd
 *     raft's {@code MaxInflightBytes}; 0: no limit). It bounds what a follower catching up is sent
 *     at once, and so what it must hold decoded, at about this plus one message
 * @param preVote run a pre-election so a partitioned member cannot raise the term when it returns
 * @param checkQuorum a leader steps down after an election timeout without hearing from a quorum,
 *     and followers that heard a leader recently ignore vote requests (leader lease)
 * @param random source of the randomized election timeout
 */
public record RaftConfig(
    long id,
    int electionTicks,
    int heartbeatTicks,
    long maxBytesPerMsg,
    int maxInflightMsgs,
    long maxInflightBytes,
    boolean preVote,
    boolean checkQuorum,
    RandomGenerator random) {

  /** "No member": no vote cast, no leader known. */
  public static final long NONE = 0;

  public RaftConfig {
    if (id == NONE) {
      throw new IllegalArgumentException("id must not be 0");
    }
    if (heartbeatTicks <= 0 || electionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException("need 0 < heartbeatTicks < electionTicks");
    }
    if (maxInflightMsgs <= 0) {
      throw new IllegalArgumentException("maxInflightMsgs must be positive");
    }
    if (maxInflightBytes < 0) {
      throw new IllegalArgumentException("maxInflightBytes must not be negative");
    }
    if (random == null) {
      throw new IllegalArgumentException("random");
    }
  }

  /**
   * etcd's defaults (election 10 ticks, heartbeat 1), pre-vote and check-quorum on, seeded
   * randomness.
   */
  public static RaftConfig defaults(long id, long seed) {
    return new RaftConfig(
        id, 10, 1, 1024 * 1024, 256, 0, true, true, new java.util.SplittableRandom(seed));
  }

  public RaftConfig withPreVote(boolean on) {
    return withElectionChecks(on, checkQuorum);
  }

  public RaftConfig withCheckQuorum(boolean on) {
    return withElectionChecks(preVote, on);
  }

  private RaftConfig withElectionChecks(boolean newPreVote, boolean newCheckQuorum) {
    return new RaftConfig(
        id,
        electionTicks,
        heartbeatTicks,
        maxBytesPerMsg,
        maxInflightMsgs,
        maxInflightBytes,
        newPreVote,
        newCheckQuorum,
        random);
  }
}
