package io.pekkoetcd.mvcc;

import io.pekkoetcd.protocol.internal.InternalRaftRequest;

/**
 * One committed Raft entry to apply: its log index and its request. A request with no oneof set (or
 * null) is a no-op entry that only advances the consistent index.
 */
public record Applied(long index, InternalRaftRequest request) {
  public static Applied noop(long index) {
    return new Applied(index, InternalRaftRequest.getDefaultInstance());
  }
}
