package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.ProposalDropped;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the clients and the state machine's owner do during the chaos phase: propose numbered
 * entries (single or batched), issue ReadIndex reads (tracked by the checker), and compact a
 * member's log behind a snapshot.
 */
final class ClientWorkload {
  private final SimCluster c;

  ClientWorkload(SimCluster cluster) {
    this.c = cluster;
  }

  /** Proposes 1 (or, one time in four, 1 to 5) fresh proposal numbers at {@code m}. */
  void propose(SimMember m) {
    if (m == null) {
      return;
    }
    int batch = c.random.nextInt(4) == 0 ? 1 + c.random.nextInt(5) : 1;
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      data.add(ByteBuffer.allocate(8).putLong(c.nextProposal++).array());
    }
    try {
      m.node.proposeBatch(data);
      c.note(() -> "propose x" + batch + " at " + m.id);
    } catch (ProposalDropped dropped) {
      c.note(() -> "propose at " + m.id + " dropped: " + dropped.reason());
    }
  }

  /** Issues a ReadIndex read at {@code m} with a fresh context the checker follows. */
  void read(SimMember m) {
    if (m == null) {
      return;
    }
    long ctx = c.nextRead++;
    c.checker.onReadIssued(ctx);
    try {
      m.node.readIndex(ByteBuffer.allocate(8).putLong(ctx).array());
      c.note(() -> "read " + ctx + " at " + m.id);
    } catch (ProposalDropped dropped) {
      c.checker.onReadDropped(ctx);
    }
  }

  /**
   * The caller's log compaction: snapshot the state machine at its applied index, keep a short
   * tail.
   */
  void compact(SimMember m) {
    if (m == null
        || m.appliedIndex - m.storage.firstIndex() < 8
        || m.appliedIndex > m.storage.lastIndex()) {
      return;
    }
    m.storage.createSnapshot(m.appliedIndex, m.confState, m.snapshotData());
    long compactTo = m.appliedIndex - c.random.nextInt(4);
    m.storage.compact(compactTo);
    m.fingerprint.compactTo(compactTo);
    c.note(() -> "compact " + m.id + " to " + compactTo + " (snapshot " + m.appliedIndex + ")");
  }
}
