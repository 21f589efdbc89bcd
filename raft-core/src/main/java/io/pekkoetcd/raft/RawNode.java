package io.pekkoetcd.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Raft library's only entry point, modelled on etcd-io/raft's {@code RawNode}: a deterministic
 * state machine that the caller drives from one thread (an actor). Inputs are {@link #tick()},
 * {@link #step(Message)} and the requests ({@link #propose}, {@link #proposeConfChange}, {@link
 * #readIndex}, {@link #transferLeadership}); output is collected in a {@link Ready} the caller
 * takes with {@link #ready()}, carries out (persist, send, apply, in the order its Javadoc states)
 * and acknowledges with {@link #advance(Ready)}.
 *
 * <p>Nothing here blocks, reads a clock or starts a thread; randomness comes from {@link
 * RaftConfig#random()}.
 */
public final class RawNode {

  private final Raft raft;
  private SoftState prevSoftState;
  private HardState prevHardState;
  private Ready pending;

  /**
   * Starts (or restarts) a member from storage; the state machine is assumed applied up to the
   * snapshot.
   */
  public RawNode(RaftConfig config, RaftStorage storage) {
    this(config, storage, 0);
  }

  /**
   * Starts a member whose state machine already applied up to {@code applied} (0: up to the storage
   * snapshot); committed entries after it are handed out again for applying.
   */
  public RawNode(RaftConfig config, RaftStorage storage, long applied) {
    this.raft = new Raft(config, storage, applied);
    this.prevSoftState = raft.softState();
    this.prevHardState = raft.hardState();
  }

  public long id() {
    return raft.id;
  }

  /**
   * Advances logical time by one tick: followers count toward an election, the leader toward a
   * heartbeat.
   */
  public void tick() {
    raft.tick();
  }

  /** Starts an election now (as if the election timeout elapsed). */
  public void campaign() {
    raft.hup(false);
  }

  /**
   * Proposes application data. On a follower it is forwarded to the leader; its outcome is visible
   * only when the entry shows up committed (the caller matches its own request ids inside {@code
   * data}).
   *
   * @throws ProposalDropped with {@link DropReason#NO_LEADER} or {@link DropReason#TRANSFERRING}
   */
  public void propose(byte[] data) {
    raft.step(new Message.MsgProp(raft.id, raft.id, 0, List.of(Entry.proposal(data))));
  }

  /**
   * Proposes a batch of application data as consecutive entries in one step (one append, one
   * message).
   */
  public void proposeBatch(List<byte[]> batch) {
    List<Entry> entries = new ArrayList<>(batch.size());
    for (byte[] data : batch) {
      entries.add(Entry.proposal(data));
    }
    raft.step(new Message.MsgProp(raft.id, raft.id, 0, entries));
  }

  /**
   * Proposes a single-member membership change; it takes effect when the caller applies the
   * committed entry with {@link #applyConfChange}.
   *
   * @throws ProposalDropped as {@link #propose}, or {@link DropReason#CONF_CHANGE_PENDING} on the
   *     leader while the previous change is unapplied
   */
  public void proposeConfChange(ConfChange change) {
    Entry entry = new Entry(0, 0, EntryType.CONF_CHANGE, change.encode());
    raft.step(new Message.MsgProp(raft.id, raft.id, 0, List.of(entry)));
  }

  /**
   * Steps a message received from another member. Messages for another member are ignored;
   * forwarded requests this member cannot serve are dropped silently (their sender times them out).
   */
  public void step(Message message) {
    if (message.to() != raft.id) {
      return;
    }
    try {
      raft.step(message);
    } catch (ProposalDropped dropped) {
      // a forwarded proposal or read that arrived at a member that no longer leads: lost, like a
      // lost message
    }
  }

  /**
   * Requests a linearizable read point; the answer arrives as a {@link ReadState} with the same
   * context in a later {@link Ready} (possibly never, if messages are lost: the caller times out
   * and retries).
   *
   * @throws ProposalDropped with {@link DropReason#NO_LEADER} when no leader is known
   */
  public void readIndex(byte[] context) {
    raft.step(new Message.MsgReadIndex(raft.id, raft.id, 0, context));
  }

  /**
   * Asks the leader to hand leadership to {@code transferee} (forwarded if this member is a
   * follower). Ignored for a learner or unknown transferee; abandoned if not done within one
   * election timeout.
   *
   * @throws ProposalDropped with {@link DropReason#NO_LEADER} when no leader is known
   */
  public void transferLeadership(long transferee) {
    raft.step(new Message.MsgTransferLeader(raft.id, raft.id, 0, transferee));
  }

  /**
   * Applies a committed conf change to the configuration; returns the configuration now in force.
   */
  public ConfState applyConfChange(ConfChange change) {
    return raft.applyConfChange(change);
  }

  /**
   * The transport's report on a snapshot sent to {@code to}; failure makes the leader probe again.
   */
  public void reportSnapshot(long to, boolean success) {
    LeaderStep.reportSnapshot(raft, to, success);
  }

  /** The transport could not deliver to {@code to}. */
  public void reportUnreachable(long to) {
    LeaderStep.reportUnreachable(raft, to);
  }

  /** Whether {@link #ready()} would have anything to do. */
  public boolean hasReady() {
    if (!raft.softState().equals(prevSoftState)) {
      return true;
    }
    HardState hs = raft.hardState();
    if (!hs.isEmpty() && !hs.equals(prevHardState)) {
      return true;
    }
    return !raft.msgs.isEmpty()
        || !raft.readStates.isEmpty()
        || raft.log.hasUnstableEntries()
        || raft.log.hasPendingSnapshot()
        || raft.log.hasNextCommittedEntries();
  }

  /**
   * Takes the pending work. Call {@link #advance} with it before the next {@code ready()}; messages
   * and read states are handed out exactly once.
   */
  public Ready ready() {
    SoftState soft = raft.softState();
    HardState hard = raft.hardState();
    Optional<SoftState> softChange =
        soft.equals(prevSoftState) ? Optional.empty() : Optional.of(soft);
    Optional<HardState> hardChange =
        hard.equals(prevHardState) ? Optional.empty() : Optional.of(hard);
    List<Entry> entries = raft.log.unstableEntries();
    boolean mustSync =
        !entries.isEmpty()
            || hard.term() != prevHardState.term()
            || hard.vote() != prevHardState.vote();
    Ready rd =
        new Ready(
            softChange,
            hardChange,
            raft.readStates,
            entries,
            Optional.ofNullable(raft.log.unstableSnapshot()),
            raft.log.nextCommittedEntries(),
            raft.msgs,
            mustSync);
    raft.msgs = new ArrayList<>();
    raft.readStates = new ArrayList<>();
    prevSoftState = soft;
    prevHardState = hard;
    pending = rd;
    return rd;
  }

  /**
   * The caller carried out {@code rd}: its entries and snapshot are stable, its committed entries
   * applied.
   */
  public void advance(Ready rd) {
    if (rd != pending) {
      throw new IllegalStateException("advance() must be given the last Ready");
    }
    pending = null;
    rd.snapshot()
        .ifPresent(
            s -> {
              raft.log.stableSnapTo(s.index());
              if (s.index() > raft.log.applied()) {
                raft.log.appliedTo(s.index());
              }
            });
    if (!rd.committedEntries().isEmpty()) {
      raft.log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      raft.log.stableTo(last.index(), last.term());
    }
  }

  public Status status() {
    Map<Long, ProgressView> progress = new TreeMap<>();
    if (raft.role == Role.LEADER) {
      raft.tracker.progressMap().forEach((member, pr) -> progress.put(member, ProgressView.of(pr)));
    }
    return new Status(
        raft.id,
        raft.hardState(),
        raft.softState(),
        raft.log.applied(),
        raft.log.lastIndex(),
        raft.tracker.confState(),
        raft.leadTransferee,
        progress);
  }

  /** Current leader and role (cheap; no copy of progress). */
  public SoftState softState() {
    return raft.softState();
  }

  /** Current term, vote and commit index, persisted or not. */
  public HardState hardState() {
    return raft.hardState();
  }

  /**
   * Term of the entry at {@code index} in this member's log (0 if absent or compacted); for
   * checkers.
   */
  public long termAt(long index) {
    return raft.log.zeroTermOnOutOfBounds(index);
  }
}
