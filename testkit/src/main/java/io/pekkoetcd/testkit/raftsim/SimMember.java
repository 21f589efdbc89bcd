package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.RaftConfig;
import io.pekkoetcd.raft.RawNode;
import io.pekkoetcd.raft.Role;
import io.pekkoetcd.raft.Snapshot;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * One simulated member: durable storage that survives crashes, and the volatile rest (the {@link
 * RawNode}, the state machine) that a crash loses. The state machine is a running hash of the
 * applied log, so two members agree on their state exactly when they applied the same entries.
 */
final class SimMember {

  final long id;
  final MemoryRaftStorage storage;

  /** Mirror of the storage's log as prefix hashes (also durable). */
  final LogFingerprint fingerprint = new LogFingerprint();

  /**
   * Highest index whose commitment this member reported to the checker (durable: from its hard
   * state).
   */
  long reportedCommit;

  RawNode node; // null while crashed or after removal
  boolean removed;
  long appliedIndex;
  long appliedHash;
  ConfState confState;
  Role observedRole = Role.FOLLOWER;

  SimMember(long id, MemoryRaftStorage storage) {
    this.id = id;
    this.storage = storage;
  }

  boolean alive() {
    return node != null;
  }

  /**
   * (Re)starts from storage: the state machine restarts from the storage snapshot, entries after it
   * replay.
   */
  void start(SplittableRandom random, RaftConfig template) {
    Snapshot snap = storage.snapshot();
    restoreStateMachine(snap);
    RaftConfig config =
        new RaftConfig(
            id,
            template.electionTicks(),
            template.heartbeatTicks(),
            template.maxBytesPerMsg(),
            template.maxInflightMsgs(),
            template.maxInflightBytes(),
            template.preVote(),
            template.checkQuorum(),
            random.split());
    node = new RawNode(config, storage, snap.index());
    observedRole = Role.FOLLOWER;
  }

  /** Resets the state machine (and the membership it tracks) to a snapshot's. */
  void restoreStateMachine(Snapshot snap) {
    confState = snap.confState();
    if (snap.data().length == 16) {
      ByteBuffer buf = ByteBuffer.wrap(snap.data());
      appliedIndex = buf.getLong();
      appliedHash = buf.getLong();
    } else { // bootstrap snapshot (index 1) or none yet (a member still to join)
      appliedIndex = snap.index();
      appliedHash = snap.index() == 1 ? LogFingerprint.BOOTSTRAP : 0;
    }
  }

  void crash() {
    node = null;
  }

  /** Snapshot data of the state machine: applied index and state hash. */
  byte[] snapshotData() {
    return ByteBuffer.allocate(16).putLong(appliedIndex).putLong(appliedHash).array();
  }
}
