package io.pekkoetcd.actors;

import io.pekkoetcd.raft.DropReason;
import io.pekkoetcd.raft.ProposalDropped;
import io.pekkoetcd.raft.ReadState;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Linearizable reads handed to Raft: each gets a unique context (a sequence number); the answer is
 * Raft's read index for it, and the caller reads from the {@link KvActor} once it applied that far.
 * On the leader Raft confirms its leadership with a heartbeat quorum; on a follower it forwards the
 * request to the leader (MsgReadIndex). A read whose leader changes before it is answered fails
 * with "etcdserver: leader changed"; one unanswered after the request timeout with "request timed
 * out".
 */
final class ReadIndexes {

  private record PendingRead(ActorRef<StatusReply<Long>> replyTo, long deadline) {}

  private final RaftContext rc;

  /** Issued reads by context, in order of issue. */
  private final Map<Long, PendingRead> issued = new LinkedHashMap<>();

  private long readSeq;

  ReadIndexes(RaftContext rc) {
    this.rc = rc;
  }

  int size() {
    return issued.size();
  }

  /** Ask Raft for a read index; held if Raft knows no leader. */
  void read(RaftNode.ReadIndex r, long deadline) {
    long seq = ++readSeq;
    try {
      rc.node.readIndex(ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
      issued.put(seq, new PendingRead(r.replyTo(), deadline));
    } catch (ProposalDropped dropped) {
      if (dropped.reason() == DropReason.NO_LEADER) {
        rc.held.hold(r, deadline);
      } else {
        r.replyTo()
            .tell(StatusReply.error(new ServerException(HeldRequests.errorFor(dropped.reason()))));
      }
    }
  }

  /** Hand the read indexes Raft answered to their readers. */
  void answer(List<ReadState> states) {
    for (ReadState rs : states) {
      if (rs.context() == null || rs.context().length != Long.BYTES) {
        continue;
      }
      PendingRead read = issued.remove(ByteBuffer.wrap(rs.context()).getLong());
      if (read != null) {
        read.replyTo().tell(StatusReply.success(rs.index()));
      }
    }
  }

  /** The known leader changed: nobody will answer the issued reads. */
  void leaderChanged() {
    for (PendingRead read : issued.values()) {
      read.replyTo().tell(StatusReply.error(new ServerException(ServerError.LEADER_CHANGED)));
    }
    issued.clear();
  }

  /** Give up reads unanswered after the request timeout. */
  void expire() {
    for (Iterator<PendingRead> it = issued.values().iterator(); it.hasNext(); ) {
      PendingRead read = it.next();
      if (read.deadline() > rc.ticks) {
        break; // issued in deadline order (but for retried held reads: those go a little late)
      }
      it.remove();
      read.replyTo().tell(StatusReply.error(new ServerException(ServerError.REQUEST_TIMED_OUT)));
    }
  }
}
