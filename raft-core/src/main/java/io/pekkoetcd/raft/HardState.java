package io.pekkoetcd.raft;

/**
 * The state that must be durable before any message of the same {@link Ready} is sent: current
 * term, the vote cast in it ({@link RaftConfig#NONE} if none) and the commit index.
 */
public record HardState(long term, long vote, long commit) {

  public static final HardState EMPTY = new HardState(0, RaftConfig.NONE, 0);

  public boolean isEmpty() {
    return equals(EMPTY);
  }

  @Override
  public String toString() {
    return "term=" + term + " vote=" + vote + " commit=" + commit;
  }
}
