package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.ConfChange;
import io.pekkoetcd.raft.ConfChangeType;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.ReadState;
import io.pekkoetcd.raft.Ready;
import io.pekkoetcd.raft.Role;
import io.pekkoetcd.raft.Snapshot;
import io.pekkoetcd.raft.SoftState;
import java.nio.ByteBuffer;

/**
 * The caller's Ready loop, as a member's actor runs it: persist (snapshot, entries, hard state),
 * then send, then apply, then advance — reporting each step to the {@link SafetyChecker}.
 */
final class ReadyLoop {
  private final SimCluster c;

  ReadyLoop(SimCluster cluster) {
    this.c = cluster;
  }

  /**
   * What a member's actor does with a Ready: persist (snapshot, entries, hard state), then send,
   * then apply, then advance. With {@code crashAfterPersist} it dies right after persisting
   * (nothing sent or applied).
   */
  void handleReady(SimMember m, boolean crashAfterPersist) {
    Ready rd = m.node.ready();
    if (rd.softState().isPresent()) {
      SoftState soft = rd.softState().get();
      if (soft.role() == Role.LEADER && m.observedRole != Role.LEADER) {
        c.leadersElected++;
        c.checker.onNewLeader(
            m.id, m.node.hardState().term(), m.node::termAt, m.storage.firstIndex());
      }
      m.observedRole = soft.role();
    }
    rd.snapshot()
        .ifPresent(
            s -> {
              c.snapshotsInstalled++;
              m.storage.applySnapshot(s);
              m.fingerprint.resetTo(s.index(), c.checker.prefixHashOf(s.index(), s.term()));
            });
    if (!rd.entries().isEmpty()) {
      m.storage.append(rd.entries());
      long[] hashes = m.fingerprint.append(rd.entries());
      int offset = rd.entries().size() - hashes.length;
      for (int k = 0; k < hashes.length; k++) {
        Entry e = rd.entries().get(offset + k);
        c.checker.onEntryPersisted(m.id, e.index(), e.term(), hashes[k]);
      }
    }
    if (rd.hardState().isPresent()) {
      HardState hs = rd.hardState().get();
      m.storage.setHardState(hs);
      c.checker.onHardStatePersisted(m.id, hs);
      reportCommit(m, hs.commit());
    }
    if (crashAfterPersist) {
      c.note(() -> "crash " + m.id + " after persisting, before sending");
      m.crash();
      return;
    }
    for (Message msg : rd.messages()) {
      c.network.send(msg);
    }
    rd.snapshot().ifPresent(s -> applySnapshot(m, s));
    for (Entry e : rd.committedEntries()) {
      apply(m, e);
    }
    for (ReadState rs : rd.readStates()) {
      c.checker.onReadAnswered(m.id, ByteBuffer.wrap(rs.context()).getLong(), rs.index());
    }
    m.node.advance(rd);
    if (m.removed) {
      m.crash();
    }
  }

  private void reportCommit(SimMember m, long commit) {
    for (long i = Math.max(m.reportedCommit + 1, 2); i <= commit; i++) {
      if (!m.fingerprint.covers(i)) {
        continue; // inside the snapshot, which the checker validated when it was installed
      }
      boolean newlyCommitted = i > c.checker.maxCommitted();
      c.checker.onCommitted(m.id, i, m.storage.term(i), m.fingerprint.hashAt(i));
      recordCommittedProposal(m, i);
      if (newlyCommitted && !c.options.membershipChanges()) {
        c.checker.checkNoMemberCouldWinWithout(i, c.members.values(), c.options.members());
      }
    }
    m.reportedCommit = Math.max(m.reportedCommit, commit);
  }

  private void recordCommittedProposal(SimMember m, long index) {
    if (index < m.storage.firstIndex()) {
      return; // the snapshot's own entry: its data is gone, its hash was checked
    }
    Entry e = m.storage.entries(index, index + 1, Long.MAX_VALUE).get(0);
    if (e.type() == EntryType.NORMAL && e.data().length == 8) {
      c.committedProposals.add(ByteBuffer.wrap(e.data()).getLong());
    }
  }

  private void applySnapshot(SimMember m, Snapshot s) {
    m.restoreStateMachine(s);
    if (m.appliedIndex != s.index()) {
      throw new IllegalStateException("snapshot data index " + m.appliedIndex + " != " + s.index());
    }
    c.checker.onApplied(m.id, m.appliedIndex, m.appliedHash);
    m.confState = s.confState();
  }

  private void apply(SimMember m, Entry e) {
    if (e.index() != m.appliedIndex + 1) {
      throw new IllegalStateException(
          "member " + m.id + " applies " + e.index() + " after " + m.appliedIndex);
    }
    m.appliedHash = LogFingerprint.mix(m.appliedHash, e);
    m.appliedIndex = e.index();
    c.checker.onApplied(m.id, e.index(), m.appliedHash);
    if (e.type() == EntryType.CONF_CHANGE) {
      ConfChange change = ConfChange.decode(e.data());
      c.confChangesApplied++;
      m.confState = m.node.applyConfChange(change);
      if (change.type() == ConfChangeType.REMOVE_MEMBER) {
        SimMember gone = c.members.get(change.nodeId());
        if (gone != null && !gone.removed) {
          c.note(() -> "removed " + gone.id);
          gone.removed = true; // it shuts down, as etcd's does (itself: once this Ready is done)
          if (gone != m) {
            gone.crash();
          }
        }
      }
    }
  }
}
