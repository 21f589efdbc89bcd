package io.pekkoetcd.watch;

import com.google.protobuf.CodedOutputStream;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The watchers of one gRPC Watch stream and etcd's rules for them (shared/etcd-api.md §2.8),
 * without actors: the {@link WatchStream} feeds it applied revisions, history batches and client
 * requests, and it writes responses to an {@link Outbox}. Deterministic and single-threaded.
 *
 * <p>Ordering contract: responses are written in the order the calls are made; a watcher's created
 * response is written in its create call, so it precedes that watcher's events; a watcher's events
 * are written in revision order without gaps or repeats; the events of one revision are never split
 * over responses (unless fragmented).
 */
final class WatcherSet {

  /**
   * Where responses go. Control responses always fit; event responses fit only while the buffer has
   * room.
   */
  interface Outbox {
    /** Queue the fragments of one event response, all or nothing; false if the buffer is full. */
    boolean offerEvents(List<WatchResponse> fragments);

    /** Queue a created, canceled or progress response. */
    void control(WatchResponse response);
  }

  static final String COMPACTED = "etcdserver: mvcc: required revision has been compacted";
  static final String EMPTY_RANGE = "mvcc: watcher range is empty";
  static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";

  private final WatchSettings settings;
  private final TreeMap<Long, Watcher> watchers = new TreeMap<>();
  private long nextAutoId;
  private long current;
  private long term;

  WatcherSet(WatchSettings settings, long currentRevision, long term) {
    this.settings = settings;
    this.current = currentRevision;
    this.term = term;
  }

  long currentRevision() {
    return current;
  }

  int size() {
    return watchers.size();
  }

  Watcher watcher(long id) {
    return watchers.get(id);
  }

  // ------------------------------------------------------------------ client requests

  void create(WatchCreateRequest r, Outbox out) {
    WatchRange range = WatchRange.of(r.getKey(), r.getRangeEnd());
    if (r.getStartRevision() < 0) {
      out.control(refused(COMPACTED));
      return;
    }
    if (range.isEmpty()) {
      out.control(refused(EMPTY_RANGE));
      return;
    }
    long id;
    if (r.getWatchId() == 0) {
      while (watchers.containsKey(nextAutoId)) {
        nextAutoId++;
      }
      id = nextAutoId++;
    } else if (watchers.containsKey(r.getWatchId())) {
      out.control(refused(DUPLICATE_ID));
      return;
    } else {
      id = r.getWatchId();
    }
    long start = r.getStartRevision() == 0 ? current + 1 : r.getStartRevision();
    Watcher w =
        new Watcher(
            id, range, r, start, start > current ? Watcher.State.SYNCED : Watcher.State.UNSYNCED);
    watchers.put(id, w);
    out.control(
        WatchResponse.newBuilder()
            .setHeader(header(current))
            .setWatchId(id)
            .setCreated(true)
            .build());
  }

  /** Cancel watcher {@code id}; an unknown ID is ignored without an answer, as etcd does. */
  void cancel(long id, Outbox out) {
    if (watchers.remove(id) != null) {
      out.control(
          WatchResponse.newBuilder()
              .setHeader(header(current))
              .setWatchId(id)
              .setCanceled(true)
              .build());
    }
  }

  /**
   * A WatchProgressRequest: answered (watch ID -1) only if the stream has watchers and all are
   * synced.
   */
  void progressRequested(Outbox out) {
    if (!watchers.isEmpty()
        && watchers.values().stream().allMatch(w -> w.state == Watcher.State.SYNCED)) {
      out.control(WatchResponse.newBuilder().setHeader(header(current)).setWatchId(-1).build());
    }
  }

  // ------------------------------------------------------------------ applied revisions (synced
  // watchers)

  /**
   * Revisions just applied, in order; synced watchers get one response per revision with events for
   * them.
   */
  void applied(List<RevisionEvents> revisions, long currentRevision, long term, Outbox out) {
    this.term = Math.max(this.term, term);
    for (Watcher w : watchers.values()) {
      for (RevisionEvents re : revisions) {
        if (w.state != Watcher.State.SYNCED) {
          break;
        }
        if (re.revision() < w.nextRev) {
          continue;
        }
        List<Event> events = w.select(re.events());
        if (!events.isEmpty()) {
          if (!out.offerEvents(responses(w, events, header(re.revision())))) {
            w.state = Watcher.State.VICTIM;
            break;
          }
          w.sentSinceTick = true;
        }
        w.nextRev = re.revision() + 1;
      }
    }
    current = Math.max(current, currentRevision);
  }

  /**
   * The store jumped to {@code currentRevision} (a snapshot was installed) without publishing the
   * revisions in between: every synced watcher becomes unsynced and reads them from history,
   * starting at its {@code nextRev}.
   */
  void restored(long currentRevision, long term) {
    this.term = Math.max(this.term, term);
    for (Watcher w : watchers.values()) {
      if (w.state == Watcher.State.SYNCED) {
        w.state = Watcher.State.UNSYNCED;
      }
    }
    current = Math.max(current, currentRevision);
  }

  // ------------------------------------------------------------------ history (unsynced watchers)

  boolean hasVictims() {
    return watchers.values().stream().anyMatch(w -> w.state == Watcher.State.VICTIM);
  }

  /** The stream's buffer has room again: victims catch up from history. */
  void releaseVictims() {
    for (Watcher w : watchers.values()) {
      if (w.state == Watcher.State.VICTIM) {
        w.state = Watcher.State.UNSYNCED;
      }
    }
  }

  /** The revision the next history read starts at, if some watcher is unsynced. */
  OptionalLong nextHistoryRead() {
    return watchers.values().stream()
        .filter(w -> w.state == Watcher.State.UNSYNCED)
        .mapToLong(w -> w.nextRev)
        .min();
  }

  /** The answer to a history read from {@code fromRev}. */
  void history(long fromRev, WatchHistory.Batch batch, Outbox out) {
    if (batch instanceof WatchHistory.Compacted c) {
      List<Watcher> gone = new ArrayList<>();
      for (Watcher w : watchers.values()) {
        if (w.state == Watcher.State.UNSYNCED && w.nextRev < c.compactedRevision()) {
          gone.add(w);
        }
      }
      for (Watcher w : gone) {
        watchers.remove(w.id);
        // etcd 3.5 sends this cancel with header revision 0.
        out.control(
            WatchResponse.newBuilder()
                .setHeader(header(0))
                .setWatchId(w.id)
                .setCanceled(true)
                .setCompactRevision(c.compactedRevision())
                .build());
      }
      return;
    }
    WatchHistory.Events batchEvents = (WatchHistory.Events) batch;
    for (Watcher w : watchers.values()) {
      // A watcher that fell behind after the read started waits for the next read: nothing may be
      // skipped.
      if (w.state != Watcher.State.UNSYNCED || w.nextRev < fromRev) {
        continue;
      }
      if (w.nextRev <= batchEvents.throughRevision()) {
        List<Event> events = w.select(upTo(batchEvents.events(), batchEvents.throughRevision()));
        if (!events.isEmpty()) {
          if (!out.offerEvents(responses(w, events, header(batchEvents.currentRevision())))) {
            w.state = Watcher.State.VICTIM;
            continue;
          }
          w.sentSinceTick = true;
        }
        w.nextRev = batchEvents.throughRevision() + 1;
      }
      if (w.nextRev > current) {
        w.state = Watcher.State.SYNCED;
      }
    }
  }

  private static List<Event> upTo(List<Event> events, long through) {
    int n = events.size();
    while (n > 0 && events.get(n - 1).getKv().getModRevision() > through) {
      n--;
    }
    return events.subList(0, n);
  }

  // ------------------------------------------------------------------ progress

  /**
   * The periodic progress tick: synced progress_notify watchers that got nothing since the last
   * tick hear of it.
   */
  void progressTick(Outbox out) {
    for (Watcher w : watchers.values()) {
      if (w.progressNotify
          && !w.sentSinceTick
          && w.state == Watcher.State.SYNCED
          && w.nextRev <= current + 1) {
        // Like etcd, a notification that does not fit is dropped, not queued.
        out.offerEvents(
            List.of(
                WatchResponse.newBuilder().setHeader(header(current)).setWatchId(w.id).build()));
      }
      w.sentSinceTick = false;
    }
  }

  // ------------------------------------------------------------------ responses

  private WatchResponse refused(String reason) {
    return WatchResponse.newBuilder()
        .setHeader(header(current))
        .setWatchId(-1)
        .setCreated(true)
        .setCanceled(true)
        .setCancelReason(reason)
        .build();
  }

  ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(settings.clusterId())
        .setMemberId(settings.memberId())
        .setRevision(revision)
        .setRaftTerm(term)
        .build();
  }

  /**
   * One response with {@code events}, or, for a watcher that asked for fragments, several when it
   * reaches the fragment size with two or more events: each fragment is filled until adding the
   * next event would reach the limit (but holds at least one event); all but the last carry {@code
   * fragment = true}.
   */
  private List<WatchResponse> responses(Watcher w, List<Event> events, ResponseHeader header) {
    WatchResponse whole =
        WatchResponse.newBuilder().setHeader(header).setWatchId(w.id).addAllEvents(events).build();
    long limit = settings.fragmentBytes();
    if (!w.fragment || events.size() < 2 || whole.getSerializedSize() < limit) {
      return List.of(whole);
    }
    WatchResponse empty =
        WatchResponse.newBuilder().setHeader(header).setWatchId(w.id).setFragment(true).build();
    long base = empty.getSerializedSize();
    List<WatchResponse> out = new ArrayList<>();
    List<Event> part = new ArrayList<>();
    long size = base;
    for (Event e : events) {
      long eventSize = CodedOutputStream.computeMessageSize(WatchResponse.EVENTS_FIELD_NUMBER, e);
      if (!part.isEmpty() && size + eventSize >= limit) {
        out.add(empty.toBuilder().addAllEvents(part).build());
        part = new ArrayList<>();
        size = base;
      }
      part.add(e);
      size += eventSize;
    }
    out.add(empty.toBuilder().addAllEvents(part).setFragment(false).build());
    return out;
  }
}
