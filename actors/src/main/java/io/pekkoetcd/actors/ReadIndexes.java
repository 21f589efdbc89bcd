package io.pekkoetcd.actors;

import io.pekkoetcd.raft.DropReason;
import io.pekkoetcd.raft.ProposalDropped;
import io.pekkoetcd.raft.ReadState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.pattern.StatusReply;

/**
 * Linearizable reads handed to Raft, batched as etcd's {@code linearizableReadLoop} batches them:
 * at most one read-index request is in flight; reads that arrive meanwhile wait and share the next
 * one, issued as soon as the one in flight is answered or given up. So at any load one heartbeat
 * round (on a follower: one forwarded request and its answer) serves every read waiting for it,
 * instead of one round per read. A read never shares a request issued before it arrived: its read
 * index is confirmed after it started, which is what makes it linearizable.
 *
 * <p>Each request's context is this member's ID and a sequence number ({@link #context}), unique in
 * the cluster as etcd's request IDs are: the leader keeps one pending read per context and ignores
 * a second with the same one, so two members' requests with equal bare sequence numbers in flight
 * at once would leave one unanswered until the request timeout. The answer is Raft's read index,
 * and the readers read from the {@link KvActor} once it applied that far. On the leader Raft
 * confirms its leadership with a heartbeat quorum; on a follower it forwards the request to the
 * leader (MsgReadIndex). When the known leader changes, the reads of the request in flight fail
 * with "etcdserver: leader changed"; a read unanswered after the request timeout fails with
 * "request timed out", and a request whose readers all gave up is abandoned (a late answer is
 * ignored) so that the waiting reads are issued.
 */
final class ReadIndexes {

  private record PendingRead(RaftNode.ReadIndex request, long deadline) {}

  private final RaftContext rc;

  /** The readers of the request in flight (empty: none in flight), in order of arrival. */
  private final List<PendingRead> inFlight = new ArrayList<>();

  /** The context of the request in flight, as sent ({@link #context}). */
  private byte[] inFlightContext;

  /** Reads that arrived after the request in flight was issued: they share the next one. */
  private final List<PendingRead> waiting = new ArrayList<>();

  private long readSeq;

  ReadIndexes(RaftContext rc) {
    this.rc = rc;
  }

  /**
   * A linearizable read: joins the next request, issued at once if none is in flight; held if Raft
   * knows no leader.
   */
  void read(RaftNode.ReadIndex r, long deadline) {
    waiting.add(new PendingRead(r, deadline));
    if (inFlight.isEmpty()) {
      issueWaiting();
    }
  }

  /** Hand the read index Raft answered to the readers of the request in flight. */
  void answer(List<ReadState> states) {
    for (ReadState rs : states) {
      if (inFlight.isEmpty() || !Arrays.equals(rs.context(), inFlightContext)) {
        continue; // an abandoned request's late answer
      }
      for (PendingRead read : inFlight) {
        read.request().replyTo().tell(StatusReply.success(rs.index()));
      }
      inFlight.clear();
      issueWaiting();
    }
  }

  /** The known leader changed: nobody will answer the request in flight. */
  void leaderChanged() {
    failInFlight(ServerError.LEADER_CHANGED);
    issueWaiting();
  }

  /** Give up reads unanswered after the request timeout. */
  void expire() {
    expire(waiting);
    if (!inFlight.isEmpty()) {
      expire(inFlight);
      if (inFlight.isEmpty()) {
        issueWaiting(); // every reader of the request in flight gave up: do not wait for it
      }
    }
  }

  private void expire(List<PendingRead> reads) {
    reads.removeIf(
        read -> {
          if (read.deadline() > rc.ticks) {
            return false;
          }
          read.request()
              .replyTo()
              .tell(StatusReply.error(new ServerException(ServerError.REQUEST_TIMED_OUT)));
          return true;
        });
  }

  private void failInFlight(ServerError error) {
    for (PendingRead read : inFlight) {
      read.request().replyTo().tell(StatusReply.error(new ServerException(error)));
    }
    inFlight.clear();
  }

  /** The context of this member's read-index request {@code seq}: member ID, then {@code seq}. */
  static byte[] context(long memberId, long seq) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(memberId).putLong(seq).array();
  }

  /** Issue one request for every waiting read (none in flight). */
  private void issueWaiting() {
    if (waiting.isEmpty()) {
      return;
    }
    byte[] context = context(rc.config.memberId(), ++readSeq);
    try {
      rc.node.readIndex(context);
      inFlight.addAll(waiting);
      inFlightContext = context;
    } catch (ProposalDropped dropped) {
      for (PendingRead read : waiting) {
        if (dropped.reason() == DropReason.NO_LEADER) {
          rc.held.hold(read.request(), read.deadline());
        } else {
          read.request()
              .replyTo()
              .tell(
                  StatusReply.error(new ServerException(HeldRequests.errorFor(dropped.reason()))));
        }
      }
    }
    waiting.clear();
  }
}
