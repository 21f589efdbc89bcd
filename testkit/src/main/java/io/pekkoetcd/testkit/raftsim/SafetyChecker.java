package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.RaftConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The safety properties of Raft (§5.2, §5.3, §5.4, §6.4), checked incrementally as members persist,
 * commit, apply and answer reads. Every check throws {@link IllegalStateException} naming the
 * property; the simulation turns it into a {@link SimulationFailure} with the seed.
 */
final class SafetyChecker {

  private record IndexTerm(long index, long term) {}

  private record MemberTerm(long member, long term) {}

  /** Election Safety: at most one leader per term. */
  private final Map<Long, Long> leaderOfTerm = new HashMap<>();

  /** One vote per member per term (as persisted: only a persisted vote can have been sent). */
  private final Map<MemberTerm, Long> votes = new HashMap<>();

  /** Log Matching: prefix hash of every (index, term) any member persisted. */
  private final Map<IndexTerm, Long> prefixHashes = new HashMap<>();

  /** Committed entries: position k holds index k (0 unused, 1 = bootstrap snapshot). */
  private final LongList committedTerms = new LongList();

  private final LongList committedHashes = new LongList();

  /**
   * Outstanding read requests: context key → highest index known committed when the read was
   * issued.
   */
  private final Map<Long, Long> readsInFlight = new HashMap<>();

  private long maxReadIndex;
  private long readsAnswered;

  SafetyChecker() {
    committedTerms.add(0);
    committedHashes.add(0);
    committedTerms.add(1);
    committedHashes.add(LogFingerprint.BOOTSTRAP);
    prefixHashes.put(new IndexTerm(1, 1), LogFingerprint.BOOTSTRAP);
  }

  long maxCommitted() {
    return committedTerms.size() - 1;
  }

  long committedTerm(long index) {
    return committedTerms.get((int) index);
  }

  long committedHash(long index) {
    return committedHashes.get((int) index);
  }

  long readsAnswered() {
    return readsAnswered;
  }

  void onLeader(long member, long term) {
    Long previous = leaderOfTerm.putIfAbsent(term, member);
    if (previous != null && previous != member) {
      throw new IllegalStateException(
          "Election Safety (§5.2): members "
              + previous
              + " and "
              + member
              + " both lead term "
              + term);
    }
  }

  void onHardStatePersisted(long member, HardState hs) {
    if (hs.vote() == RaftConfig.NONE) {
      return;
    }
    Long previous = votes.putIfAbsent(new MemberTerm(member, hs.term()), hs.vote());
    if (previous != null && previous != hs.vote()) {
      throw new IllegalStateException(
          "one vote per term (§5.2): member "
              + member
              + " voted for "
              + previous
              + " and "
              + hs.vote()
              + " in term "
              + hs.term());
    }
  }

  void onEntryPersisted(long member, long index, long term, long prefixHash) {
    Long previous = prefixHashes.putIfAbsent(new IndexTerm(index, term), prefixHash);
    if (previous != null && previous != prefixHash) {
      throw new IllegalStateException(
          "Log Matching (§5.3): member "
              + member
              + " holds entry "
              + index
              + "/"
              + term
              + " with a log prefix differing from another member's");
    }
  }

  /** Prefix hash known for (index, term), for a member installing a snapshot there. */
  long prefixHashOf(long index, long term) {
    Long h = prefixHashes.get(new IndexTerm(index, term));
    if (h == null) {
      throw new IllegalStateException(
          "snapshot at " + index + "/" + term + " names an entry nobody persisted");
    }
    return h;
  }

  /**
   * Member persisted commit index {@code index} and its log holds that entry with {@code
   * term}/{@code hash}.
   */
  void onCommitted(long member, long index, long term, long prefixHash) {
    if (index < committedTerms.size()) {
      if (committedTerms.get((int) index) != term
          || committedHashes.get((int) index) != prefixHash) {
        throw new IllegalStateException(
            "committed entry changed (§5.4 State Machine Safety): member "
                + member
                + " commits "
                + index
                + "/"
                + term
                + " but "
                + index
                + "/"
                + committedTerms.get((int) index)
                + " was committed before");
      }
      return;
    }
    if (index != committedTerms.size()) {
      throw new IllegalStateException(
          "commit gap at " + committedTerms.size() + " (member " + member + ")");
    }
    committedTerms.add(term);
    committedHashes.add(prefixHash);
  }

  /**
   * Member's state machine applied through {@code index}, its state identified by {@code
   * stateHash}.
   */
  void onApplied(long member, long index, long stateHash) {
    if (index >= committedHashes.size() || committedHashes.get((int) index) != stateHash) {
      throw new IllegalStateException(
          "State Machine Safety (§5.4.3): member "
              + member
              + " applied through "
              + index
              + " something other than the committed log");
    }
  }

  /** Leader Completeness (§5.4): a new leader's log holds every committed entry. */
  void onNewLeader(
      long member, long term, java.util.function.LongUnaryOperator termAt, long firstIndex) {
    for (long i = Math.max(2, firstIndex); i <= maxCommitted(); i++) {
      long t = termAt.applyAsLong(i);
      if (t != committedTerm(i)) {
        throw new IllegalStateException(
            "Leader Completeness (§5.4): leader "
                + member
                + " of term "
                + term
                + " has "
                + i
                + "/"
                + t
                + " but "
                + i
                + "/"
                + committedTerm(i)
                + " is committed");
      }
    }
  }

  /**
   * Leader Completeness, checked before any election can violate it (with a fixed membership): once
   * an entry is committed, a majority holds it and refuses to vote for a log that lacks it
   * (§5.4.3's proof), so no member lacking it may have a persisted log at least as up to date as a
   * quorum of voters' persisted logs.
   */
  void checkNoMemberCouldWinWithout(
      long index, java.util.Collection<SimMember> members, int voters) {
    long term = committedTerm(index);
    int quorum = voters / 2 + 1;
    java.util.Map<Long, SimMember> byId = new HashMap<>();
    members.forEach(m -> byId.put(m.id, m));
    for (SimMember x : members) {
      if (holds(x, index, term)) {
        continue;
      }
      long xLast = x.storage.lastIndex();
      long xTerm = x.storage.term(xLast);
      int wouldVote = 0;
      for (long v = 1; v <= voters; v++) {
        io.pekkoetcd.raft.MemoryRaftStorage vs = byId.get(v).storage;
        long vTerm = vs.term(vs.lastIndex());
        if (xTerm > vTerm || (xTerm == vTerm && xLast >= vs.lastIndex())) {
          wouldVote++;
        }
      }
      if (wouldVote >= quorum) {
        throw new IllegalStateException(
            "Leader Completeness (§5.4): entry "
                + index
                + "/"
                + term
                + " is committed, yet member "
                + x.id
                + " lacking it (log ends "
                + xLast
                + "/"
                + xTerm
                + ") could collect "
                + wouldVote
                + " votes");
      }
    }
  }

  private static boolean holds(SimMember x, long index, long term) {
    if (index <= x.storage.firstIndex() - 1) {
      return true; // covered by its snapshot (snapshots only contain committed entries)
    }
    return index <= x.storage.lastIndex() && x.storage.term(index) == term;
  }

  void onReadIssued(long context) {
    readsInFlight.put(context, maxCommitted());
  }

  void onReadDropped(long context) {
    readsInFlight.remove(context);
  }

  /**
   * Linearizable reads (§6.4): the read index covers every write committed before the read was
   * issued.
   */
  void onReadAnswered(long member, long context, long readIndex) {
    Long minimum = readsInFlight.remove(context);
    if (minimum == null) {
      return; // duplicate answer
    }
    readsAnswered++;
    if (readIndex < minimum) {
      throw new IllegalStateException(
          "linearizable read: member "
              + member
              + " got read index "
              + readIndex
              + " but "
              + minimum
              + " was committed before the read was issued");
    }
    maxReadIndex = Math.max(maxReadIndex, readIndex);
  }

  /** At the end of a run: every read index handed out was (eventually) committed. */
  void checkReadsCommitted() {
    if (maxReadIndex > maxCommitted()) {
      throw new IllegalStateException(
          "read index " + maxReadIndex + " was never committed (max " + maxCommitted() + ")");
    }
  }
}
