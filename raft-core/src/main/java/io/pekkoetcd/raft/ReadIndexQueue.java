package io.pekkoetcd.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's pending read-index requests (Raft thesis §6.4), in arrival order. A request records
 * the commit index when it arrived; it is answered once a quorum of voters acknowledged a heartbeat
 * carrying its context, proving no newer leader existed at that moment. Acknowledging a request
 * also acknowledges all earlier ones.
 */
final class ReadIndexQueue {

  /** One pending request: who asked (this member or a follower), its context and its read index. */
  record Pending(long requester, byte[] context, long index, Set<Long> acks) {}

  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();

  /** Adds a request unless one with the same context is already pending. */
  void add(long index, long requester, byte[] context) {
    pending.putIfAbsent(
        Bytes.key(context), new Pending(requester, context, index, new HashSet<>()));
  }

  /**
   * Records {@code from}'s acknowledgement of the heartbeat with {@code context}; null if unknown
   * context.
   */
  Set<Long> ack(long from, byte[] context) {
    Pending p = pending.get(Bytes.key(context));
    if (p == null) {
      return null;
    }
    p.acks().add(from);
    return p.acks();
  }

  /** Removes and returns every request up to and including the one with {@code context}. */
  List<Pending> releaseThrough(byte[] context) {
    String key = Bytes.key(context);
    if (!pending.containsKey(key)) {
      return List.of();
    }
    List<Pending> released = new ArrayList<>();
    var it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Pending> e = it.next();
      released.add(e.getValue());
      it.remove();
      if (e.getKey().equals(key)) {
        break;
      }
    }
    return released;
  }

  /** Context of the newest pending request, or null. */
  byte[] lastContext() {
    Pending last = null;
    for (Pending p : pending.values()) {
      last = p;
    }
    return last == null ? null : last.context();
  }

  void clear() {
    pending.clear();
  }
}
