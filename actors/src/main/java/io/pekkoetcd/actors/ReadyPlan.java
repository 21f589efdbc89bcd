package io.pekkoetcd.actors;

import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.Ready;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RaftNode} does with one Raft {@link Ready} around its WAL write, as etcd's raft node
 * does it (Raft thesis §10.2.1). Pure: no actors, no I/O.
 *
 * <ul>
 *   <li>{@link #beforeWrite()}: a leader's appends and heartbeats leave before its own write, so
 *       that followers write in parallel with it. Safe because nothing that depends on the leader's
 *       copy of the new entries (a commit index counting them, an entry applied) leaves before that
 *       write is durable: the next Ready starts only after this one's write, and commit needs a
 *       follower's acknowledgement of entries it has only now been sent. Everything else (votes,
 *       append responses, a follower's messages) waits for the write: a member acknowledges only
 *       what it has made durable.
 *   <li>{@link #write()}: whether the Ready needs a WAL write at all ({@link Ready#mustSync()} or a
 *       snapshot). A change of the commit index alone does not (etcd's MustSync): the commit index
 *       is recovered from the leader, and a member that restarts with an older one re-applies
 *       nothing (the KV store skips what it already applied). Entries, a snapshot, or a new term or
 *       vote are written (and fsynced) before anything that depends on them.
 * </ul>
 *
 * @param beforeWrite messages to send now, before the WAL write
 * @param afterWrite messages to send once the write is durable (MsgSnap included: it is sent with
 *     the MVCC store)
 * @param write whether the Ready's entries, snapshot or hard state must be written
 */
record ReadyPlan(List<Message> beforeWrite, List<Message> afterWrite, boolean write) {

  /** The plan for {@code rd}, taken while this member {@code isLeader}. */
  static ReadyPlan of(Ready rd, boolean isLeader) {
    List<Message> before = new ArrayList<>();
    List<Message> after = new ArrayList<>();
    for (Message m : rd.messages()) {
      if (isLeader && (m instanceof Message.MsgApp || m instanceof Message.MsgHeartbeat)) {
        before.add(m);
      } else {
        after.add(m);
      }
    }
    // Raft's mustSync: entries, or a term or vote unlike the previous Ready's (every such change is
    // written).
    return new ReadyPlan(before, after, rd.mustSync() || rd.snapshot().isPresent());
  }
}
