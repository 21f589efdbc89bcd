package io.pekkoetcd.raft;

import java.util.Set;
import java.util.TreeSet;

/**
 * The membership a log prefix (or snapshot) ends in: voters decide elections and commit, learners
 * only receive the log. The two sets are disjoint and immutable (sorted, for stable output).
 */
public record ConfState(Set<Long> voters, Set<Long> learners) {

  public static final ConfState EMPTY = new ConfState(Set.of(), Set.of());

  public ConfState {
    voters = java.util.Collections.unmodifiableSet(new TreeSet<>(voters));
    learners = java.util.Collections.unmodifiableSet(new TreeSet<>(learners));
    for (Long id : learners) {
      if (voters.contains(id)) {
        throw new IllegalArgumentException("member " + id + " is both voter and learner");
      }
    }
  }

  public static ConfState ofVoters(Long... ids) {
    return new ConfState(Set.of(ids), Set.of());
  }

  public boolean isMember(long id) {
    return voters.contains(id) || learners.contains(id);
  }

  @Override
  public String toString() {
    return "voters=" + voters + (learners.isEmpty() ? "" : " learners=" + learners);
  }
}
