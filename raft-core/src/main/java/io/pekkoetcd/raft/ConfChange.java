package io.pekkoetcd.raft;

import java.nio.ByteBuffer;

/**
 * A single-member membership change, carried in a {@link EntryType#CONF_CHANGE} entry. It takes
 * effect on a member when the caller applies the committed entry with {@code
 * RawNode.applyConfChange}; the leader accepts a new one only after the previous one is applied (so
 * at most one is ever uncommitted-or-unapplied).
 *
 * @param context opaque caller data (e.g. the new member's peer URLs); never interpreted here
 */
public record ConfChange(ConfChangeType type, long nodeId, byte[] context) {

  public ConfChange {
    context = context == null ? new byte[0] : context;
  }

  public static ConfChange addVoter(long id) {
    return new ConfChange(ConfChangeType.ADD_VOTER, id, null);
  }

  public static ConfChange addLearner(long id) {
    return new ConfChange(ConfChangeType.ADD_LEARNER, id, null);
  }

  public static ConfChange remove(long id) {
    return new ConfChange(ConfChangeType.REMOVE_MEMBER, id, null);
  }

  /** Layout: type ordinal (1 byte), node id (8 bytes), context (rest). */
  public byte[] encode() {
    return ByteBuffer.allocate(9 + context.length)
        .put((byte) type.ordinal())
        .putLong(nodeId)
        .put(context)
        .array();
  }

  public static ConfChange decode(byte[] data) {
    ByteBuffer buf = ByteBuffer.wrap(data);
    ConfChangeType type = ConfChangeType.values()[buf.get()];
    long id = buf.getLong();
    byte[] context = new byte[buf.remaining()];
    buf.get(context);
    return new ConfChange(type, id, context);
  }

  @Override
  public String toString() {
    return type + " " + nodeId;
  }
}
