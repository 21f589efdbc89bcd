package io.pekkoetcd.raft;

import java.util.List;

/**
 * Everything members send each other. Every message names its sender, its receiver and the sender's
 * term; {@code term == 0} marks the messages that carry no term because they are routed to whoever
 * leads ({@link MsgProp}, {@link MsgReadIndex}, {@link MsgTransferLeader}): they are never subject
 * to the term rules.
 *
 * <p>Messages are immutable values; the caller serializes them (the {@code protocol} module has a
 * proto for each) and may lose, duplicate, delay or reorder them: the protocol stays safe.
 */
public sealed interface Message {

  long from();

  long to();

  long term();

  MessageType type();

  /** Same message, addressed elsewhere (forwarding a proposal or read to the leader). */
  Message withTo(long newTo);

  /** Same message, sent in {@code newTerm} (the sender stamps its current term when sending). */
  Message withTerm(long newTerm);

  /**
   * Leader to follower: append {@code entries} after (index, logTerm) and learn the leader's
   * commit.
   */
  record MsgApp(
      long from, long to, long term, long logTerm, long index, List<Entry> entries, long commit)
      implements Message {
    public MsgApp {
      entries = List.copyOf(entries);
    }

    public MessageType type() {
      return MessageType.APP;
    }

    public Message withTo(long newTo) {
      return new MsgApp(from, newTo, term, logTerm, index, entries, commit);
    }

    public Message withTerm(long t) {
      return new MsgApp(from, to, t, logTerm, index, entries, commit);
    }
  }

  /**
   * Follower to leader. Accepted: the follower's log matches the leader's up to {@code index}.
   * Rejected: no match at {@code index}; {@code rejectHint}/{@code logTerm} name the follower's
   * last index with a term at most the probed one, for fast backtracking.
   */
  record MsgAppResp(
      long from, long to, long term, long index, boolean reject, long rejectHint, long logTerm)
      implements Message {
    public MessageType type() {
      return MessageType.APP_RESP;
    }

    public Message withTo(long newTo) {
      return new MsgAppResp(from, newTo, term, index, reject, rejectHint, logTerm);
    }

    public Message withTerm(long t) {
      return new MsgAppResp(from, to, t, index, reject, rejectHint, logTerm);
    }
  }

  /**
   * Candidate asks for a vote in {@code term}; {@code transfer} marks a leadership transfer
   * (bypasses leases).
   */
  record MsgVote(long from, long to, long term, long logTerm, long index, boolean transfer)
      implements Message {
    public MessageType type() {
      return MessageType.VOTE;
    }

    public Message withTo(long newTo) {
      return new MsgVote(from, newTo, term, logTerm, index, transfer);
    }

    public Message withTerm(long t) {
      return new MsgVote(from, to, t, logTerm, index, transfer);
    }
  }

  record MsgVoteResp(long from, long to, long term, boolean reject) implements Message {
    public MessageType type() {
      return MessageType.VOTE_RESP;
    }

    public Message withTo(long newTo) {
      return new MsgVoteResp(from, newTo, term, reject);
    }

    public Message withTerm(long t) {
      return new MsgVoteResp(from, to, t, reject);
    }
  }

  /**
   * Would you vote for me in {@code term} (one more than the sender's)? Changes nobody's term or
   * vote.
   */
  record MsgPreVote(long from, long to, long term, long logTerm, long index, boolean transfer)
      implements Message {
    public MessageType type() {
      return MessageType.PRE_VOTE;
    }

    public Message withTo(long newTo) {
      return new MsgPreVote(from, newTo, term, logTerm, index, transfer);
    }

    public Message withTerm(long t) {
      return new MsgPreVote(from, to, t, logTerm, index, transfer);
    }
  }

  record MsgPreVoteResp(long from, long to, long term, boolean reject) implements Message {
    public MessageType type() {
      return MessageType.PRE_VOTE_RESP;
    }

    public Message withTo(long newTo) {
      return new MsgPreVoteResp(from, newTo, term, reject);
    }

    public Message withTerm(long t) {
      return new MsgPreVoteResp(from, to, t, reject);
    }
  }

  /**
   * Leader liveness; {@code commit} never exceeds what the follower is known to hold; context is a
   * read id.
   */
  record MsgHeartbeat(long from, long to, long term, long commit, byte[] context)
      implements Message {
    public MessageType type() {
      return MessageType.HEARTBEAT;
    }

    public Message withTo(long newTo) {
      return new MsgHeartbeat(from, newTo, term, commit, context);
    }

    public Message withTerm(long t) {
      return new MsgHeartbeat(from, to, t, commit, context);
    }
  }

  record MsgHeartbeatResp(long from, long to, long term, byte[] context) implements Message {
    public MessageType type() {
      return MessageType.HEARTBEAT_RESP;
    }

    public Message withTo(long newTo) {
      return new MsgHeartbeatResp(from, newTo, term, context);
    }

    public Message withTerm(long t) {
      return new MsgHeartbeatResp(from, to, t, context);
    }
  }

  /** Leader to a follower that needs compacted entries: install this snapshot instead. */
  record MsgSnap(long from, long to, long term, Snapshot snapshot) implements Message {
    public MessageType type() {
      return MessageType.SNAP;
    }

    public Message withTo(long newTo) {
      return new MsgSnap(from, newTo, term, snapshot);
    }

    public Message withTerm(long t) {
      return new MsgSnap(from, to, t, snapshot);
    }
  }

  /** Proposal of entries, local or forwarded by a follower to the leader. Term is always 0. */
  record MsgProp(long from, long to, long term, List<Entry> entries) implements Message {
    public MsgProp {
      entries = List.copyOf(entries);
    }

    public MessageType type() {
      return MessageType.PROP;
    }

    public Message withTo(long newTo) {
      return new MsgProp(from, newTo, term, entries);
    }

    public Message withTerm(long t) {
      return this;
    }
  }

  /** Request for a read index, local or forwarded to the leader. Term is always 0. */
  record MsgReadIndex(long from, long to, long term, byte[] context) implements Message {
    public MessageType type() {
      return MessageType.READ_INDEX;
    }

    public Message withTo(long newTo) {
      return new MsgReadIndex(from, newTo, term, context);
    }

    public Message withTerm(long t) {
      return this;
    }
  }

  /** Leader to the follower that asked: reads at {@code index} are linearizable. */
  record MsgReadIndexResp(long from, long to, long term, long index, byte[] context)
      implements Message {
    public MessageType type() {
      return MessageType.READ_INDEX_RESP;
    }

    public Message withTo(long newTo) {
      return new MsgReadIndexResp(from, newTo, term, index, context);
    }

    public Message withTerm(long t) {
      return new MsgReadIndexResp(from, to, t, index, context);
    }
  }

  /**
   * Leader to the transfer target, whose log is up to date: campaign now, skipping pre-vote and
   * leases.
   */
  record MsgTimeoutNow(long from, long to, long term) implements Message {
    public MessageType type() {
      return MessageType.TIMEOUT_NOW;
    }

    public Message withTo(long newTo) {
      return new MsgTimeoutNow(from, newTo, term);
    }

    public Message withTerm(long t) {
      return new MsgTimeoutNow(from, to, t);
    }
  }

  /**
   * Ask the leader (forwarded by followers) to hand leadership to {@code transferee}. Term is
   * always 0.
   */
  record MsgTransferLeader(long from, long to, long term, long transferee) implements Message {
    public MessageType type() {
      return MessageType.TRANSFER_LEADER;
    }

    public Message withTo(long newTo) {
      return new MsgTransferLeader(from, newTo, term, transferee);
    }

    public Message withTerm(long t) {
      return this;
    }
  }
}
