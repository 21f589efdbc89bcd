package io.pekkoetcd.raft;

import io.pekkoetcd.raft.Message.MsgApp;
import io.pekkoetcd.raft.Message.MsgAppResp;
import io.pekkoetcd.raft.Message.MsgHeartbeat;
import io.pekkoetcd.raft.Message.MsgHeartbeatResp;
import io.pekkoetcd.raft.Message.MsgProp;
import io.pekkoetcd.raft.Message.MsgReadIndex;
import io.pekkoetcd.raft.Message.MsgReadIndexResp;
import io.pekkoetcd.raft.Message.MsgSnap;
import io.pekkoetcd.raft.Message.MsgTimeoutNow;
import io.pekkoetcd.raft.Message.MsgTransferLeader;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader: appends proposals, replicates them per follower {@link Progress} (probe, pipelined
 * replicate, snapshot), commits by counting current-term matches (Raft §5.4.2), answers read-index
 * requests after a heartbeat quorum, and hands leadership over on request.
 */
final class LeaderStep implements RoleStep {

  static final LeaderStep INSTANCE = new LeaderStep();

  private LeaderStep() {}

  @Override
  public void step(Raft r, Message m) {
    switch (m.type()) {
      case PROP -> propose(r, (MsgProp) m);
      case READ_INDEX -> readIndex(r, (MsgReadIndex) m);
      case APP_RESP -> appendResponse(r, (MsgAppResp) m);
      case HEARTBEAT_RESP -> heartbeatResponse(r, (MsgHeartbeatResp) m);
      case TRANSFER_LEADER -> transferLeader(r, ((MsgTransferLeader) m).transferee());
      case APP,
          HEARTBEAT,
          SNAP,
          VOTE,
          VOTE_RESP,
          PRE_VOTE,
          PRE_VOTE_RESP,
          READ_INDEX_RESP,
          TIMEOUT_NOW -> {
        // same-term leader messages cannot exist (one leader per term); the rest are stale
      }
    }
  }

  // ---------------------------------------------------------------- proposals and commit

  private static void propose(Raft r, MsgProp m) {
    if (m.entries().isEmpty()) {
      throw new IllegalArgumentException("empty proposal");
    }
    if (r.tracker.progress(r.id) == null) {
      throw new ProposalDropped(DropReason.NOT_A_MEMBER);
    }
    if (r.leadTransferee != RaftConfig.NONE) {
      throw new ProposalDropped(DropReason.TRANSFERRING);
    }
    List<Entry> entries = new ArrayList<>(m.entries());
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (e.type() != EntryType.CONF_CHANGE) {
        continue;
      }
      if (r.pendingConfIndex > r.log.applied()) {
        if (m.from() == r.id && entries.size() == 1) {
          throw new ProposalDropped(DropReason.CONF_CHANGE_PENDING);
        }
        entries.set(
            i, new Entry(0, 0, EntryType.NORMAL, null)); // as etcd: keep indexes, drop change
      } else {
        r.pendingConfIndex = r.log.lastIndex() + i + 1;
      }
    }
    appendEntries(r, entries);
    broadcastAppend(r);
  }

  /**
   * Appends entries at the end of the log in the current term; the leader's own match moves with
   * them.
   */
  static void appendEntries(Raft r, List<Entry> entries) {
    long last = r.log.lastIndex();
    List<Entry> positioned = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      positioned.add(entries.get(i).withPosition(r.term, last + 1 + i));
    }
    r.log.append(positioned);
    Progress self = r.tracker.progress(r.id);
    if (self != null) {
      self.maybeUpdate(r.log.lastIndex());
    }
    maybeCommit(r);
  }

  /**
   * Raft §5.4.2: the commit index moves to the quorum-replicated index only if that entry is of the
   * current term. Returns whether it moved; once this term has a committed entry, held-back reads
   * are served.
   */
  static boolean maybeCommit(Raft r) {
    boolean moved = r.log.maybeCommit(r.tracker.committedIndex(), r.term);
    if (moved && !r.readsAwaitingFirstCommit.isEmpty() && committedEntryInCurrentTerm(r)) {
      List<MsgReadIndex> waiting = new ArrayList<>(r.readsAwaitingFirstCommit);
      r.readsAwaitingFirstCommit.clear();
      for (MsgReadIndex read : waiting) {
        readIndex(r, read);
      }
    }
    return moved;
  }

  static boolean committedEntryInCurrentTerm(Raft r) {
    return r.log.zeroTermOnOutOfBounds(r.log.committed()) == r.term;
  }

  // ---------------------------------------------------------------- replication

  static void broadcastAppend(Raft r) {
    for (long member : r.tracker.progressMap().keySet()) {
      if (member != r.id) {
        maybeSendAppend(r, member, true);
      }
    }
  }

  /**
   * Sends {@code to} the entries after its {@code next} (or an empty append if {@code
   * sendIfEmpty}), or the snapshot if they are compacted. Returns whether a message was sent.
   */
  static boolean maybeSendAppend(Raft r, long to, boolean sendIfEmpty) {
    Progress pr = r.tracker.progress(to);
    if (pr == null || pr.isPaused()) {
      return false;
    }
    long prevIndex = pr.next - 1;
    long prevTerm;
    List<Entry> entries;
    try {
      prevTerm = r.log.term(prevIndex);
      entries = r.log.entriesFrom(pr.next, r.config.maxBytesPerMsg());
    } catch (LogCompactedException e) {
      return sendSnapshot(r, to, pr);
    }
    if (entries.isEmpty() && !sendIfEmpty) {
      return false;
    }
    r.send(new MsgApp(r.id, to, r.term, prevTerm, prevIndex, entries, r.log.committed()));
    long bytes = 0;
    for (Entry e : entries) {
      bytes += e.sizeBytes();
    }
    pr.sentEntries(
        entries.size(),
        bytes,
        entries.isEmpty() ? prevIndex : entries.get(entries.size() - 1).index());
    return true;
  }

  private static boolean sendSnapshot(Raft r, long to, Progress pr) {
    if (!pr.recentActive) {
      return false; // do not ship a snapshot to a member we have not heard from
    }
    Snapshot snap;
    try {
      snap = r.log.snapshot();
    } catch (SnapshotTemporarilyUnavailableException e) {
      return false;
    }
    if (snap.isEmpty()) {
      throw new IllegalStateException("need a snapshot for " + to + " but storage has none");
    }
    r.send(new MsgSnap(r.id, to, r.term, snap));
    pr.becomeSnapshot(snap.index());
    return true;
  }

  private static void appendResponse(Raft r, MsgAppResp m) {
    Progress pr = r.tracker.progress(m.from());
    if (pr == null) {
      return;
    }
    pr.recentActive = true;
    if (m.reject()) {
      long nextProbe = m.rejectHint();
      if (m.logTerm() > 0) {
        nextProbe = r.log.findConflictByTerm(m.rejectHint(), m.logTerm())[0];
      }
      if (pr.maybeDecreaseTo(m.index(), nextProbe)) {
        if (pr.state == ProgressState.REPLICATE) {
          pr.becomeProbe();
        }
        maybeSendAppend(r, m.from(), true);
      }
      return;
    }
    boolean wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index())) {
      return;
    }
    switch (pr.state) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        if (pr.match + 1 >= r.log.firstIndex()) {
          pr.becomeProbe();
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.inflights.freeLE(m.index());
    }
    if (maybeCommit(r)) {
      broadcastAppend(r);
    } else if (wasPaused) {
      maybeSendAppend(r, m.from(), true);
    }
    while (maybeSendAppend(r, m.from(), false)) {
      // keep the pipeline full while entries remain and the window allows
    }
    if (m.from() == r.leadTransferee && pr.match == r.log.lastIndex()) {
      r.send(new MsgTimeoutNow(r.id, m.from(), r.term));
    }
  }

  // ---------------------------------------------------------------- heartbeats, check-quorum,
  // reads

  static void tickHeartbeat(Raft r) {
    r.heartbeatElapsed++;
    r.electionElapsed++;
    if (r.electionElapsed >= r.config.electionTicks()) {
      r.electionElapsed = 0;
      if (r.config.checkQuorum()) {
        if (!r.tracker.quorumActive(r.id)) {
          r.becomeFollower(
              r.term, RaftConfig.NONE); // §6: a leader cut off from its quorum steps down
          return;
        }
        r.tracker.progressMap().forEach((member, pr) -> pr.recentActive = member == r.id);
      }
      r.leadTransferee =
          RaftConfig.NONE; // a transfer that did not finish in an election timeout is abandoned
    }
    for (Progress pr : r.tracker.progressMap().values()) {
      if (pr.state == ProgressState.SNAPSHOT) {
        pr.snapshotTicks++;
      }
    }
    if (r.heartbeatElapsed >= r.config.heartbeatTicks()) {
      r.heartbeatElapsed = 0;
      broadcastHeartbeat(r, r.readIndexQueue.lastContext());
    }
  }

  private static void broadcastHeartbeat(Raft r, byte[] context) {
    byte[] ctx = context == null ? new byte[0] : context;
    r.tracker
        .progressMap()
        .forEach(
            (member, pr) -> {
              if (member != r.id) {
                long commit = Math.min(pr.match, r.log.committed());
                r.send(new MsgHeartbeat(r.id, member, r.term, commit, ctx));
              }
            });
  }

  private static void heartbeatResponse(Raft r, MsgHeartbeatResp m) {
    Progress pr = r.tracker.progress(m.from());
    if (pr == null) {
      return;
    }
    pr.recentActive = true;
    pr.probeSent = false;
    if (pr.state == ProgressState.SNAPSHOT && pr.snapshotTicks >= 2 * r.config.electionTicks()) {
      pr.becomeProbe(); // the snapshot (or its answer) was lost: probe again
    }
    if (pr.state == ProgressState.REPLICATE && pr.inflights.full()) {
      // Appends in the window may be lost: let one more through per heartbeat, as etcd does. Not
      // the whole window: a follower that answers heartbeats but is slow to make appends durable
      // would otherwise be sent a full window more every heartbeat, without bound.
      pr.inflights.freeFirstOne();
    }
    if (pr.match < r.log.lastIndex()) {
      maybeSendAppend(r, m.from(), true);
    }
    if (m.context().length == 0) {
      return;
    }
    var acks = r.readIndexQueue.ack(m.from(), m.context());
    if (acks == null || !r.tracker.isQuorum(acks)) {
      return;
    }
    for (ReadIndexQueue.Pending p : r.readIndexQueue.releaseThrough(m.context())) {
      answerRead(r, p.requester(), p.index(), p.context());
    }
  }

  /**
   * Raft thesis §6.4: record the commit index, confirm leadership with a heartbeat round, then
   * answer. Held back until this leader has committed an entry of its own term (before that, its
   * commit index may be stale).
   */
  private static void readIndex(Raft r, MsgReadIndex m) {
    if (r.tracker.voterCount() == 1 && r.tracker.isVoter(r.id)) {
      answerRead(r, m.from(), r.log.committed(), m.context());
      return;
    }
    if (!committedEntryInCurrentTerm(r)) {
      r.readsAwaitingFirstCommit.add(m);
      return;
    }
    r.readIndexQueue.add(r.log.committed(), m.from(), m.context());
    r.readIndexQueue.ack(r.id, m.context());
    broadcastHeartbeat(r, m.context());
  }

  private static void answerRead(Raft r, long requester, long index, byte[] context) {
    if (requester == r.id || requester == RaftConfig.NONE) {
      r.readStates.add(new ReadState(index, context));
    } else {
      r.send(new MsgReadIndexResp(r.id, requester, r.term, index, context));
    }
  }

  // ---------------------------------------------------------------- leadership transfer

  /**
   * Raft thesis §3.10: bring the transferee up to date, then tell it to campaign at once
   * (TimeoutNow).
   */
  private static void transferLeader(Raft r, long transferee) {
    Progress pr = r.tracker.progress(transferee);
    if (pr == null || pr.learner) {
      return;
    }
    if (r.leadTransferee != RaftConfig.NONE) {
      if (r.leadTransferee == transferee) {
        return;
      }
      r.leadTransferee = RaftConfig.NONE;
    }
    if (transferee == r.id) {
      return;
    }
    r.electionElapsed = 0; // the transfer must finish within one election timeout
    r.leadTransferee = transferee;
    if (pr.match == r.log.lastIndex()) {
      r.send(new MsgTimeoutNow(r.id, transferee, r.term));
    } else {
      maybeSendAppend(r, transferee, true);
    }
  }

  /**
   * Caller's report on a snapshot it tried to deliver: success waits for the ack, failure probes
   * again.
   */
  static void reportSnapshot(Raft r, long to, boolean success) {
    Progress pr = r.tracker.progress(to);
    if (r.role != Role.LEADER || pr == null || pr.state != ProgressState.SNAPSHOT) {
      return;
    }
    if (!success) {
      pr.becomeProbe();
      pr.probeSent = true; // wait for a heartbeat response before probing
    }
  }

  /**
   * Caller could not reach {@code to}: stop pipelining and probe (appends in flight are likely
   * lost).
   */
  static void reportUnreachable(Raft r, long to) {
    Progress pr = r.tracker.progress(to);
    if (r.role == Role.LEADER && pr != null && pr.state == ProgressState.REPLICATE) {
      pr.becomeProbe();
    }
  }
}
