package io.pekkoetcd.raft;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The configuration (voters and learners) with the leader's {@link Progress} per member and a
 * candidate's votes. Quorum is a majority of voters; learners never count. Iteration order is by
 * member id (deterministic).
 */
final class ProgressTracker {

  private final TreeSet<Long> voters = new TreeSet<>();
  private final TreeSet<Long> learners = new TreeSet<>();
  private final TreeMap<Long, Progress> progress = new TreeMap<>();
  private final TreeMap<Long, Boolean> votes = new TreeMap<>();
  private final int maxInflight;
  private final long maxInflightBytes;

  ProgressTracker(int maxInflight, long maxInflightBytes) {
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
  }

  ConfState confState() {
    return new ConfState(voters, learners);
  }

  boolean isVoter(long id) {
    return voters.contains(id);
  }

  int voterCount() {
    return voters.size();
  }

  Progress progress(long id) {
    return progress.get(id);
  }

  Map<Long, Progress> progressMap() {
    return progress;
  }

  /** Replaces the configuration; members keep their progress, new ones start at (match 0, next). */
  void setConfiguration(ConfState conf, long next) {
    voters.clear();
    voters.addAll(conf.voters());
    learners.clear();
    learners.addAll(conf.learners());
    progress.keySet().removeIf(id -> !voters.contains(id) && !learners.contains(id));
    for (long id : voters) {
      progress.computeIfAbsent(id, k -> newProgress(next)).learner = false;
    }
    for (long id : learners) {
      progress.computeIfAbsent(id, k -> newProgress(next)).learner = true;
    }
  }

  private Progress newProgress(long next) {
    Progress p = new Progress(0, next, maxInflight, maxInflightBytes, false);
    p.recentActive = true; // a newly added member gets a full check-quorum round to show up
    return p;
  }

  /** The largest index replicated on a quorum of voters (Raft §5.3); 0 with no voters. */
  long committedIndex() {
    if (voters.isEmpty()) {
      return 0;
    }
    long[] matches = new long[voters.size()];
    int i = 0;
    for (long id : voters) {
      matches[i++] = progress.get(id).match;
    }
    Arrays.sort(matches);
    return matches[matches.length - quorum()];
  }

  int quorum() {
    return voters.size() / 2 + 1;
  }

  void resetVotes() {
    votes.clear();
  }

  /** Records {@code id}'s first answer in this election (later duplicates are ignored). */
  void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  VoteResult tallyVotes() {
    int granted = 0;
    int rejected = 0;
    for (long id : voters) {
      Boolean v = votes.get(id);
      if (v == null) {
        continue;
      }
      if (v) {
        granted++;
      } else {
        rejected++;
      }
    }
    if (granted >= quorum()) {
      return VoteResult.WON;
    }
    if (rejected >= quorum() || voters.size() - rejected < quorum()) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  /** Whether a quorum of voters (counting {@code self}) was heard from recently (check-quorum). */
  boolean quorumActive(long self) {
    int active = 0;
    for (long id : voters) {
      Progress p = progress.get(id);
      if (id == self || p.recentActive) {
        active++;
      }
    }
    return active >= quorum();
  }

  /** Whether the given acknowledgers form a quorum of voters. */
  boolean isQuorum(java.util.Set<Long> ids) {
    int n = 0;
    for (long id : voters) {
      if (ids.contains(id)) {
        n++;
      }
    }
    return n >= quorum();
  }
}
