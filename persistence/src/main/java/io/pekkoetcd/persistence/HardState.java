package io.pekkoetcd.persistence;

/**
 * Raft's persistent state (paper Fig. 2): the current term, the vote cast in it ({@code 0} = none)
 * and the highest index known to be committed.
 */
public record HardState(long term, long vote, long commit) implements WalSerializable {
  public static final HardState EMPTY = new HardState(0, 0, 0);
}
