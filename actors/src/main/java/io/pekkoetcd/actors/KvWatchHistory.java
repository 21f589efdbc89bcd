package io.pekkoetcd.actors;

import io.pekkoetcd.mvcc.KV;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.watch.WatchHistory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The watch hub's history reads: asked of the {@link KvActor} that owns the MVCC store, which
 * answers with {@link #readFrom} on its own thread.
 */
final class KvWatchHistory implements WatchHistory {
  private final ActorRef<KvActor.Command> kv;
  private final Duration timeout;
  private final Scheduler scheduler;

  KvWatchHistory(ActorRef<KvActor.Command> kv, Duration timeout, Scheduler scheduler) {
    this.kv = kv;
    this.timeout = timeout;
    this.scheduler = scheduler;
  }

  @Override
  public CompletionStage<Batch> read(long fromRev, int maxRevisions) {
    return AskPattern.ask(
        kv, r -> new KvActor.ReadWatchHistory(fromRev, maxRevisions, r), timeout, scheduler);
  }

  /**
   * The events (with prev_kv) of up to {@code maxRevisions} whole revisions from {@code fromRev},
   * and how far they reach: the current revision, unless the batch stopped at {@code maxRevisions};
   * {@link WatchHistory.Compacted} if {@code fromRev} is below the compacted revision.
   */
  static WatchHistory.Batch readFrom(KV store, long fromRev, int maxRevisions) {
    try {
      long current = store.rev();
      List<Event> events = store.eventsBetween(fromRev, current, maxRevisions, true);
      long through = current;
      if (!events.isEmpty() && distinctRevisions(events) >= maxRevisions) {
        through = events.get(events.size() - 1).getKv().getModRevision();
      }
      return new WatchHistory.Events(events, through, current);
    } catch (MvccException e) {
      return new WatchHistory.Compacted(store.firstRev());
    }
  }

  private static int distinctRevisions(List<Event> events) {
    int n = 0;
    long last = Long.MIN_VALUE;
    for (Event e : events) {
      if (e.getKv().getModRevision() != last) {
        last = e.getKv().getModRevision();
        n++;
      }
    }
    return n;
  }
}
