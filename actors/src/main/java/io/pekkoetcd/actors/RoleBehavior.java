package io.pekkoetcd.actors;

import io.pekkoetcd.raft.Message;
import org.apache.pekko.actor.typed.Behavior;

/**
 * One role of the {@link RaftNode}: its behaviour (every {@link RaftNode.Command} answered) and
 * what it owns. Made when a Ready's soft state names the role; {@link #leave()} when the next one
 * does.
 */
interface RoleBehavior {

  /** The receive table for this role. */
  Behavior<RaftNode.Command> behavior();

  /** Stop what this role owns; called once, before the next role is made. */
  void leave();

  /**
   * A {@code MsgSnap} Raft wants sent (only a leader's Ready has one): stream the MVCC store with
   * it.
   */
  void sendSnapshot(Message.MsgSnap snap);
}
