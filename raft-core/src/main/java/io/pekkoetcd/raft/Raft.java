package io.pekkoetcd.raft;

import io.pekkoetcd.raft.Message.MsgAppResp;
import io.pekkoetcd.raft.Message.MsgPreVote;
import io.pekkoetcd.raft.Message.MsgPreVoteResp;
import io.pekkoetcd.raft.Message.MsgVote;
import java.util.ArrayList;
import java.util.List;

/**
 * One member's Raft state machine: its term, vote, role, log and (as leader) the progress of every
 * member. {@link #step} applies the term rules common to every role (as etcd's {@code Step}) and
 * then hands the message to the current role's {@link RoleStep}; elections (campaigns and vote
 * requests) are in {@link Election}. Output accumulates in {@link #msgs} and {@link #readStates};
 * {@link RawNode} hands it out in a {@link Ready}. Single-threaded, no clock, no I/O.
 */
final class Raft {

  final long id;
  final RaftConfig config;
  final RaftLog log;
  final ProgressTracker tracker;
  final ReadIndexQueue readIndexQueue = new ReadIndexQueue();

  /**
   * Read requests that arrived before this leader committed an entry of its term; served once it
   * has.
   */
  final List<Message.MsgReadIndex> readsAwaitingFirstCommit = new ArrayList<>();

  long term;
  long vote = RaftConfig.NONE;
  long lead = RaftConfig.NONE;
  Role role = Role.FOLLOWER;
  RoleStep roleStep = FollowerStep.INSTANCE;
  long leadTransferee = RaftConfig.NONE;

  /**
   * Index of the latest conf change the leader appended; a new one waits until this one is applied.
   */
  long pendingConfIndex;

  int electionElapsed;
  int heartbeatElapsed;
  int randomizedElectionTimeout;

  List<Message> msgs = new ArrayList<>();
  List<ReadState> readStates = new ArrayList<>();

  Raft(RaftConfig config, RaftStorage storage, long applied) {
    this.id = config.id();
    this.config = config;
    this.log = new RaftLog(storage, config.maxBytesPerMsg());
    this.tracker = new ProgressTracker(config.maxInflightMsgs(), config.maxInflightBytes());
    InitialState initial = storage.initialState();
    tracker.setConfiguration(initial.confState(), log.lastIndex() + 1);
    HardState hs = initial.hardState();
    if (!hs.isEmpty()) {
      if (hs.commit() > log.lastIndex()) {
        throw new IllegalStateException(
            "hard state commit " + hs.commit() + " beyond last index " + log.lastIndex());
      }
      log.commitTo(hs.commit());
      term = hs.term();
      vote = hs.vote();
    }
    if (applied > 0) {
      log.appliedTo(Math.max(applied, log.applied()));
    }
    becomeFollower(term, RaftConfig.NONE);
  }

  HardState hardState() {
    return new HardState(term, vote, log.committed());
  }

  SoftState softState() {
    return new SoftState(lead, role);
  }

  void send(Message m) {
    msgs.add(m);
  }

  // ---------------------------------------------------------------- common step: the term rules

  /**
   * Steps one message. Term rules first (Raft §5.1): a higher term makes us a follower (except for
   * pre-votes, and except vote requests inside a leader lease, which are ignored); a lower term is
   * ignored, but answered where that lets a stale leader or pre-candidate learn the newer term.
   *
   * @throws ProposalDropped for a local proposal or read that cannot be accepted now
   */
  void step(Message m) {
    if (m.term() == 0) {
      // routed requests (proposal, read index, transfer) carry no term
    } else if (m.term() > term) {
      if (m instanceof MsgVote || m instanceof MsgPreVote) {
        boolean transfer = m instanceof MsgVote v ? v.transfer() : ((MsgPreVote) m).transfer();
        boolean inLease =
            config.checkQuorum()
                && lead != RaftConfig.NONE
                && electionElapsed < config.electionTicks();
        if (!transfer && inLease) {
          return; // §6 leader lease: we heard a leader recently, do not help depose it
        }
      }
      if (m instanceof MsgPreVote) {
        // a pre-vote never changes our term
      } else if (m instanceof MsgPreVoteResp r && !r.reject()) {
        // granted pre-vote for the term we will campaign in; the term moves when we campaign
      } else {
        MessageType t = m.type();
        boolean fromLeader =
            t == MessageType.APP || t == MessageType.HEARTBEAT || t == MessageType.SNAP;
        becomeFollower(m.term(), fromLeader ? m.from() : RaftConfig.NONE);
      }
    } else if (m.term() < term) {
      if ((config.checkQuorum() || config.preVote())
          && (m.type() == MessageType.HEARTBEAT || m.type() == MessageType.APP)) {
        // a stale leader (e.g. back from a partition) learns our term and steps down
        send(new MsgAppResp(id, m.from(), term, 0, false, 0, 0));
      } else if (m instanceof MsgPreVote) {
        send(new MsgPreVoteResp(id, m.from(), term, true));
      }
      return;
    }
    if (m instanceof MsgVote v) {
      Election.handleVoteRequest(this, v.from(), v.term(), v.index(), v.logTerm(), false);
    } else if (m instanceof MsgPreVote v) {
      Election.handleVoteRequest(this, v.from(), v.term(), v.index(), v.logTerm(), true);
    } else {
      roleStep.step(this, m);
    }
  }

  // ---------------------------------------------------------------- time

  void tick() {
    if (role == Role.LEADER) {
      LeaderStep.tickHeartbeat(this);
    } else {
      electionElapsed++;
      if (promotable() && electionElapsed >= randomizedElectionTimeout) {
        electionElapsed = 0;
        hup(false);
      }
    }
  }

  /** Whether this member may campaign: a voter of its configuration, not installing a snapshot. */
  boolean promotable() {
    Progress self = tracker.progress(id);
    return self != null && !self.learner && !log.hasPendingSnapshot();
  }

  /**
   * Start an election (a pre-election first, unless disabled or this is a leadership transfer); see
   * {@link Election#hup}.
   */
  void hup(boolean transfer) {
    Election.hup(this, transfer);
  }

  /** Campaign for leadership at the next term; see {@link Election#campaign}. */
  void campaign(boolean transfer) {
    Election.campaign(this, transfer);
  }

  // ---------------------------------------------------------------- role transitions

  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = RaftConfig.NONE;
    }
    lead = RaftConfig.NONE;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    randomizedElectionTimeout =
        config.electionTicks() + config.random().nextInt(config.electionTicks());
    leadTransferee = RaftConfig.NONE;
    tracker.resetVotes();
    long last = log.lastIndex();
    tracker.progressMap().forEach((member, pr) -> pr.reset(member == id ? last : 0, last + 1));
    pendingConfIndex = 0;
    readIndexQueue.clear();
    readsAwaitingFirstCommit.clear();
  }

  void becomeFollower(long newTerm, long leader) {
    reset(newTerm);
    lead = leader;
    role = Role.FOLLOWER;
    roleStep = FollowerStep.INSTANCE;
  }

  /**
   * Pre-candidate: only the role changes; term, vote and timers stay (the pre-election is
   * invisible).
   */
  void becomePreCandidate() {
    if (role == Role.LEADER) {
      throw new IllegalStateException("leader cannot become pre-candidate");
    }
    tracker.resetVotes();
    lead = RaftConfig.NONE;
    role = Role.PRE_CANDIDATE;
    roleStep = PreCandidateStep.INSTANCE;
  }

  void becomeCandidate() {
    if (role == Role.LEADER) {
      throw new IllegalStateException("leader cannot become candidate");
    }
    reset(term + 1);
    vote = id;
    role = Role.CANDIDATE;
    roleStep = CandidateStep.INSTANCE;
  }

  /**
   * Raft §5.2 then §8: a new leader appends an empty entry of its term so its commit index can
   * move.
   */
  void becomeLeader() {
    if (role == Role.FOLLOWER) {
      throw new IllegalStateException("follower cannot become leader");
    }
    reset(term);
    lead = id;
    role = Role.LEADER;
    roleStep = LeaderStep.INSTANCE;
    Progress self = tracker.progress(id);
    self.becomeReplicate();
    self.recentActive = true;
    // No conf change until the no-op (and so everything before it) is committed and applied.
    pendingConfIndex = log.lastIndex() + 1;
    LeaderStep.appendEntries(this, List.of(new Entry(0, 0, EntryType.NORMAL, null)));
  }

  // ---------------------------------------------------------------- follower-side handlers (all
  // non-leaders)

  /**
   * Raft §5.3: append if our log matches at (index, logTerm), else reject with a backtracking hint.
   */
  void handleAppend(Message.MsgApp m) {
    if (m.index() < log.committed()) {
      send(new MsgAppResp(id, m.from(), term, log.committed(), false, 0, 0));
      return;
    }
    long lastNew = log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
    if (lastNew >= 0) {
      send(new MsgAppResp(id, m.from(), term, lastNew, false, 0, 0));
    } else {
      long[] hint = log.findConflictByTerm(Math.min(m.index(), log.lastIndex()), m.logTerm());
      send(new MsgAppResp(id, m.from(), term, m.index(), true, hint[0], hint[1]));
    }
  }

  void handleHeartbeat(Message.MsgHeartbeat m) {
    log.commitTo(m.commit());
    send(new Message.MsgHeartbeatResp(id, m.from(), term, m.context()));
  }

  void handleSnapshot(Message.MsgSnap m) {
    if (restore(m.snapshot())) {
      send(new MsgAppResp(id, m.from(), term, log.lastIndex(), false, 0, 0));
    } else {
      send(new MsgAppResp(id, m.from(), term, log.committed(), false, 0, 0));
    }
  }

  /** Replaces our log by the snapshot unless we already hold (and commit) everything it covers. */
  private boolean restore(Snapshot snap) {
    if (snap.index() <= log.committed()) {
      return false;
    }
    if (log.matchTerm(snap.index(), snap.term())) {
      log.commitTo(snap.index()); // we have the entry: just fast-forward the commit index
      return false;
    }
    log.restore(snap);
    tracker.setConfiguration(snap.confState(), log.lastIndex() + 1);
    long last = log.lastIndex();
    tracker.progressMap().forEach((member, pr) -> pr.reset(member == id ? last : 0, last + 1));
    return true;
  }

  // ---------------------------------------------------------------- membership

  /**
   * Applies a committed conf change (called by the caller when it applies the entry). One member at
   * a time, so old and new majorities always overlap (Raft thesis §4.1). A leader that removed
   * itself steps down.
   */
  ConfState applyConfChange(ConfChange cc) {
    ConfState old = tracker.confState();
    java.util.Set<Long> voters = new java.util.TreeSet<>(old.voters());
    java.util.Set<Long> learners = new java.util.TreeSet<>(old.learners());
    switch (cc.type()) {
      case ADD_VOTER -> {
        learners.remove(cc.nodeId());
        voters.add(cc.nodeId());
      }
      case ADD_LEARNER -> {
        if (!voters.contains(cc.nodeId())) { // demoting a voter is not supported: ignored
          learners.add(cc.nodeId());
        }
      }
      case REMOVE_MEMBER -> {
        voters.remove(cc.nodeId());
        learners.remove(cc.nodeId());
      }
    }
    tracker.setConfiguration(new ConfState(voters, learners), Math.max(log.lastIndex(), 1));
    Progress self = tracker.progress(id);
    if ((self == null || self.learner) && role == Role.LEADER) {
      becomeFollower(term, RaftConfig.NONE);
      return tracker.confState();
    }
    if (role == Role.LEADER && tracker.voterCount() > 0) {
      if (LeaderStep.maybeCommit(this)) {
        LeaderStep.broadcastAppend(this);
      } else {
        for (long member : tracker.progressMap().keySet()) {
          if (member != id) {
            LeaderStep.maybeSendAppend(this, member, false);
          }
        }
      }
      if (leadTransferee != RaftConfig.NONE && !tracker.isVoter(leadTransferee)) {
        leadTransferee = RaftConfig.NONE;
      }
    }
    return tracker.confState();
  }
}
