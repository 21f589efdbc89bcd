package io.pekkoetcd.watch;

import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * One watcher of a stream: what it selects and how far it has been served.
 *
 * <p>{@code nextRev} is the first revision whose events this watcher has not been given. A watcher
 * is {@link State#SYNCED} when it is served as revisions are applied; {@link State#UNSYNCED} when
 * it must read {@code nextRev..} from history first; {@link State#VICTIM} when its stream's buffer
 * was full: it waits until the client reads again, then catches up from history (see DESIGN.md).
 */
final class Watcher {
  enum State {
    SYNCED,
    UNSYNCED,
    VICTIM
  }

  final long id;
  final WatchRange range;
  final boolean noPut;
  final boolean noDelete;
  final boolean prevKv;
  final boolean progressNotify;
  final boolean fragment;
  long nextRev;
  State state;

  /** Whether a response with events went out since the last progress tick. */
  boolean sentSinceTick;

  Watcher(long id, WatchRange range, WatchCreateRequest r, long nextRev, State state) {
    this.id = id;
    this.range = range;
    this.noPut = r.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
    this.noDelete = r.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
    this.prevKv = r.getPrevKv();
    this.progressNotify = r.getProgressNotify();
    this.fragment = r.getFragment();
    this.nextRev = nextRev;
    this.state = state;
  }

  /**
   * The events of {@code events} with revision ≥ nextRev this watcher wants, shaped for it (prev_kv
   * or not).
   */
  List<Event> select(List<Event> events) {
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      if (e.getKv().getModRevision() < nextRev || !range.contains(e.getKv().getKey())) {
        continue;
      }
      if (e.getType() == Event.EventType.PUT ? noPut : noDelete) {
        continue;
      }
      out.add(prevKv || !e.hasPrevKv() ? e : e.toBuilder().clearPrevKv().build());
    }
    return out;
  }
}
