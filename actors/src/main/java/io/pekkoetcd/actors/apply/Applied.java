package io.pekkoetcd.actors.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.ConfChange;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;

/**
 * One committed Raft entry to apply: its log index and its request. A request with no oneof set (or
 * null) is a no-op entry that only advances the consistent index.
 */
public record Applied(long index, InternalRaftRequest request) {
  public static Applied noop(long index) {
    return new Applied(index, InternalRaftRequest.getDefaultInstance());
  }

  /**
   * Decodes a committed Raft entry: a normal entry carries an {@link InternalRaftRequest}, a
   * configuration entry one in its context (a membership change); an empty entry is a no-op here.
   *
   * @throws IllegalStateException if a normal entry's bytes do not parse: every member would fail
   *     the same way on the same committed bytes, so this is corruption, not input
   */
  public static Applied of(Entry e) {
    byte[] data = e.data();
    if (e.type() == EntryType.CONF_CHANGE) {
      // a membership change: its request is the conf change's context (none: a bare Raft change)
      data = ConfChange.decode(data).context();
    }
    if (data.length == 0) {
      return noop(e.index());
    }
    try {
      return new Applied(e.index(), InternalRaftRequest.parseFrom(data));
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("undecodable committed entry " + e, ex);
    }
  }
}
