package io.pekkoetcd.actors;

import io.pekkoetcd.watch.WatchHistory;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** The watch hub's history reads, served by the {@link KvActor} that owns the MVCC store. */
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
}
