package io.pekkoetcd.actors;

import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.protocol.etcdserverpb.HashKVResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * etcd's corruption checks, decided (pure: the hashes are read by {@link CorruptionChecker} and
 * {@link PeerHashes}). Two members that applied the same entries have the same HashKV at the same
 * revision, unless one compacted further: only hashes at the same compact revision are compared.
 *
 * <ul>
 *   <li>{@link #initial}: etcd's {@code --experimental-initial-corrupt-check}, before a member
 *       serves clients: its HashKV at its current revision against each peer's at that revision.
 *   <li>{@link #periodic}: etcd's check every {@code --experimental-corrupt-check-time}, on the
 *       leader: besides a hash mismatch, a follower ahead of the leader (revision or compaction) is
 *       corrupt, and so is the leader if its own hash changed while its revision did not.
 * </ul>
 */
final class CorruptionCheck {
  private CorruptionCheck() {}

  /** One HashKV: the hash up to {@code revision}, at compact revision {@code compactRevision}. */
  record Hashed(int hash, long revision, long compactRevision) {
    static Hashed of(HashKVResponse r) {
      return new Hashed(r.getHash(), r.getHeader().getRevision(), r.getCompactRevision());
    }
  }

  /** A peer's answer: its HashKV, or the store's error, or (both null) no answer in time. */
  record PeerHash(long memberId, HashKVResponse response, MvccError error) {}

  /**
   * The verdict of the initial check: the peers whose hash differs at the same compact revision
   * (the member must not start), and what could not be compared, for the log.
   */
  record Initial(List<Long> mismatched, List<String> unchecked) {}

  static Initial initial(Hashed local, List<PeerHash> peers) {
    List<Long> mismatched = new ArrayList<>();
    List<String> unchecked = new ArrayList<>();
    for (PeerHash p : peers) {
      String peer = Long.toHexString(p.memberId());
      if (p.response() != null) {
        if (p.response().getHash() != local.hash()) {
          if (p.response().getCompactRevision() == local.compactRevision()) {
            mismatched.add(p.memberId());
          } else {
            unchecked.add(
                "peer "
                    + peer
                    + " has a different compact revision "
                    + p.response().getCompactRevision());
          }
        }
      } else if (p.error() == MvccError.COMPACTED) {
        unchecked.add("peer " + peer + " has compacted past revision " + local.revision());
      } else if (p.error() == MvccError.FUTURE_REV) {
        unchecked.add("peer " + peer + " is lagging behind revision " + local.revision());
      } else {
        unchecked.add("peer " + peer + " did not answer");
      }
    }
    return new Initial(List.copyOf(mismatched), List.copyOf(unchecked));
  }

  /**
   * The member to raise CORRUPT for, if any (etcd raises one alarm per check, for the first member
   * found): {@code before} and {@code after} are the leader's own HashKV read before and after the
   * peers were asked at {@code before}'s revision.
   */
  static OptionalLong periodic(long self, Hashed before, Hashed after, List<PeerHash> peers) {
    if (after.hash() != before.hash()
        && after.revision() == before.revision()
        && after.compactRevision() == before.compactRevision()) {
      return OptionalLong.of(self);
    }
    for (PeerHash p : peers) {
      HashKVResponse r = p.response();
      if (r == null) {
        continue;
      }
      // a follower is never ahead of its leader, neither in revisions nor in compaction
      if (r.getHeader().getRevision() > after.revision()
          || r.getCompactRevision() > after.compactRevision()
          || (r.getCompactRevision() == before.compactRevision() && r.getHash() != before.hash())) {
        return OptionalLong.of(p.memberId());
      }
    }
    return OptionalLong.empty();
  }
}
