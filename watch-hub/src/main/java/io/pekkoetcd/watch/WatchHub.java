package io.pekkoetcd.watch;

import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The member's watch hub: receives the events of every applied revision from the KV actor (one message per apply
 * batch, told, never asked) and fans them out to the {@link WatchStream}s, its children, one per gRPC Watch stream.
 * It knows the current revision and term, which each new stream starts from.
 *
 * <p>The hub never waits: forwarding is a tell of an immutable list, and each stream decides for its own watchers
 * (synced, unsynced, victims) whether they are served now or catch up from {@link WatchHistory} later.
 */
public final class WatchHub extends AbstractBehavior<WatchHub.Command> {

  /** Messages of the watch hub. */
  public sealed interface Command {}

  /**
   * The KV actor applied a batch: {@code revisions} are the new revisions in order (possibly none, e.g. to announce
   * the store's revision at start), {@code currentRevision} the store's revision after the batch.
   */
  public record Published(List<RevisionEvents> revisions, long currentRevision, long term) implements Command {}

  /**
   * The KV actor replaced its store by a leader's snapshot (now at {@code currentRevision}): the revisions between
   * the last {@link Published} batch and it were never published, so every watcher that was caught up must read
   * them from the new store's history (or is canceled with compact_revision if they were compacted away).
   */
  public record Restored(long currentRevision, long term) implements Command {}

  /** Open a watch stream; the reply is its actor, which {@link #serve} connects to the gRPC streams. */
  public record OpenStream(ActorRef<ActorRef<WatchStream.Command>> replyTo) implements Command {}

  private final ActorContext<Command> ctx;
  private final WatchSettings settings;
  private final WatchHistory history;
  private final Set<ActorRef<WatchStream.Command>> streams = new HashSet<>();
  private long currentRevision;
  private long term;
  private long opened;

  public static Behavior<Command> create(WatchSettings settings, WatchHistory history, long currentRevision) {
    return Behaviors.setup(ctx -> new WatchHub(ctx, settings, history, currentRevision));
  }

  private WatchHub(ActorContext<Command> ctx, WatchSettings settings, WatchHistory history, long currentRevision) {
    super(ctx);
    this.ctx = ctx;
    this.settings = settings;
    this.history = history;
    this.currentRevision = currentRevision;
  }

  /**
   * Serve one gRPC Watch call: {@code requests} is what the client sends, the result what it receives. The stream's
   * actor is stopped when the client goes away.
   */
  public static Source<WatchResponse, NotUsed> serve(
      ActorRef<Command> hub, Source<WatchRequest, NotUsed> requests, ActorSystem<?> system) {
    Materializer mat = Materializer.matFromSystem(system);
    CompletionStage<ActorRef<WatchStream.Command>> stream =
        AskPattern.ask(hub, OpenStream::new, Duration.ofSeconds(10), system.scheduler());
    return Source.completionStageSource(stream.thenApply(s -> WatchStream.responses(s, requests, mat)))
        .mapMaterializedValue(m -> NotUsed.notUsed());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Published.class, this::onPublished)
        .onMessage(Restored.class, this::onRestored)
        .onMessage(OpenStream.class, this::onOpenStream)
        .onSignal(Terminated.class, this::onTerminated)
        .build();
  }

  private Behavior<Command> onPublished(Published p) {
    currentRevision = Math.max(currentRevision, p.currentRevision());
    term = Math.max(term, p.term());
    if (!p.revisions().isEmpty()) {
      WatchStream.Applied applied = new WatchStream.Applied(p.revisions(), p.currentRevision(), p.term());
      for (ActorRef<WatchStream.Command> s : streams) {
        s.tell(applied);
      }
    }
    return this;
  }

  private Behavior<Command> onRestored(Restored r) {
    currentRevision = Math.max(currentRevision, r.currentRevision());
    term = Math.max(term, r.term());
    WatchStream.Restored restored = new WatchStream.Restored(r.currentRevision(), r.term());
    for (ActorRef<WatchStream.Command> s : streams) {
      s.tell(restored);
    }
    return this;
  }

  private Behavior<Command> onOpenStream(OpenStream o) {
    ActorRef<WatchStream.Command> s =
        ctx.spawn(WatchStream.create(settings, history, currentRevision, term), "stream-" + opened++);
    ctx.watch(s);
    streams.add(s);
    o.replyTo().tell(s);
    return this;
  }

  private Behavior<Command> onTerminated(Terminated t) {
    streams.remove(t.getRef().<WatchStream.Command>unsafeUpcast());
    return this;
  }
}
