package io.pekkoetcd.watch;

import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.List;

/**
 * The changes of one applied revision, in sub-revision order, as the MVCC store reported them: PUT
 * events with the full key-value, DELETE events with only key and mod_revision; {@code prev_kv} set
 * where the key existed.
 */
public record RevisionEvents(long revision, List<Event> events) {
  public RevisionEvents {
    events = List.copyOf(events);
  }
}
