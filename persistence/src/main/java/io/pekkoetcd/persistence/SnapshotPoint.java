package io.pekkoetcd.persistence;

import java.util.List;

/**
 * Where the log starts: the index and term of the last entry no longer kept, and the Raft
 * membership in force at that index.
 *
 * @param voters member IDs that vote, in increasing order
 * @param learners member IDs that only receive the log, in increasing order
 */
public record SnapshotPoint(long index, long term, List<Long> voters, List<Long> learners)
    implements WalSerializable {
  public static final SnapshotPoint EMPTY = new SnapshotPoint(0, 0, List.of(), List.of());

  public SnapshotPoint {
    voters = List.copyOf(voters);
    learners = List.copyOf(learners);
  }
}
