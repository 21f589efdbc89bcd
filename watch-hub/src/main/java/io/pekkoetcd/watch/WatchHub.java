package io.pekkoetcd.watch;

import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
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
 * The member's watch hub: receives the events of every applied revision from the KV actor (one
 * message per apply batch, told, never asked) and fans them out to the {@link WatchStream}s, its
 * children, one per gRPC Watch stream. It knows the current revision and term, which each new
 * stream starts from.
 *
 * <p>The hub never waits: forwarding is a tell of an immutable list, and each stream decides for
 * its own watchers (synced, unsynced, victims) whether they are served now or catch up from {@link
 * WatchHistory} later.
 *
 * <p>Streams opened with {@code requireLeader} (the client sent {@code hasleader: true}) are ended
 * with {@link WatchError#NO_LEADER} when the member tells the hub {@link NoLeader}; the others keep
 * being served from the local member. Each stream's progress-notify interval gets its own jitter
 * from the injected random source.
 */
public final class WatchHub extends AbstractBehavior<WatchHub.Command> {

  /** Messages of the watch hub. */
  public sealed interface Command {}

  /**
   * The KV actor applied a batch: {@code revisions} are the new revisions in order (possibly none,
   * e.g. to announce the store's revision at start), {@code currentRevision} the store's revision
   * after the batch.
   */
  public record Published(List<RevisionEvents> revisions, long currentRevision, long term)
      implements Command {}

  /**
   * Open a watch stream; the reply is its actor, which {@link #serve} connects to the gRPC streams.
   * {@code requireLeader}: end the stream when the member loses its leader ({@link NoLeader}).
   */
  public record OpenStream(boolean requireLeader, ActorRef<ActorRef<WatchStream.Command>> replyTo)
      implements Command {}

  /**
   * The member has had no leader for three election timeouts (etcd's monitorLeader): every stream
   * opened with {@code requireLeader} ends with {@link WatchError#NO_LEADER}.
   */
  public enum NoLeader implements Command {
    INSTANCE
  }

  /** Ask for the hub's {@link Status}. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * The member's watch figures (etcd's {@code watch_stream_total} and {@code watcher_total}): open
   * streams, and the watchers on them as last reported by each stream.
   */
  public record Status(int streams, long watchers) {}

  /** A stream's watcher count changed. */
  record WatchersChanged(ActorRef<WatchStream.Command> stream, int watchers) implements Command {}

  /**
   * The KV actor replaced its store by a leader's snapshot (now at {@code currentRevision}): the
   * revisions between the last {@link Published} batch and it were never published, so every
   * watcher that was caught up must read them from the new store's history (or is canceled with
   * compact_revision if they were compacted away).
   */
  public record Restored(long currentRevision, long term) implements Command {}

  private final ActorContext<Command> ctx;
  private final WatchSettings settings;
  private final WatchHistory history;
  private final RandomGenerator random;
  private final Map<ActorRef<WatchStream.Command>, Integer> streams = new HashMap<>();
  private final Set<ActorRef<WatchStream.Command>> requireLeader = new HashSet<>();
  private long currentRevision;
  private long term;
  private long opened;

  /** {@code random} draws each stream's progress-notify jitter; the hub is its only user. */
  public static Behavior<Command> create(
      WatchSettings settings, WatchHistory history, long currentRevision, RandomGenerator random) {
    return Behaviors.setup(ctx -> new WatchHub(ctx, settings, history, currentRevision, random));
  }

  private WatchHub(
      ActorContext<Command> ctx,
      WatchSettings settings,
      WatchHistory history,
      long currentRevision,
      RandomGenerator random) {
    super(ctx);
    this.ctx = ctx;
    this.settings = settings;
    this.history = history;
    this.currentRevision = currentRevision;
    this.random = random;
  }

  /**
   * Serve one gRPC Watch call: {@code requests} is what the client sends, the result what it
   * receives. The stream's actor is stopped when the client goes away. The result fails with {@link
   * WatchException} when the client cancels, or, for {@code requireLeader} streams, when the member
   * loses its leader.
   */
  public static Source<WatchResponse, NotUsed> serve(
      ActorRef<Command> hub,
      Source<WatchRequest, NotUsed> requests,
      boolean requireLeader,
      ActorSystem<?> system) {
    Materializer mat = Materializer.matFromSystem(system);
    CompletionStage<ActorRef<WatchStream.Command>> stream =
        AskPattern.ask(
            hub, r -> new OpenStream(requireLeader, r), Duration.ofSeconds(10), system.scheduler());
    return Source.completionStageSource(
            stream.thenApply(s -> WatchStream.responses(s, requests, mat)))
        .mapMaterializedValue(m -> NotUsed.notUsed());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Published.class, this::onPublished)
        .onMessage(Restored.class, this::onRestored)
        .onMessage(OpenStream.class, this::onOpenStream)
        .onMessageEquals(NoLeader.INSTANCE, this::onNoLeader)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(WatchersChanged.class, this::onWatchersChanged)
        .onSignal(Terminated.class, this::onTerminated)
        .build();
  }

  private Behavior<Command> onPublished(Published p) {
    currentRevision = Math.max(currentRevision, p.currentRevision());
    term = Math.max(term, p.term());
    if (!p.revisions().isEmpty()) {
      WatchStream.Applied applied =
          new WatchStream.Applied(p.revisions(), p.currentRevision(), p.term());
      for (ActorRef<WatchStream.Command> s : streams.keySet()) {
        s.tell(applied);
      }
    }
    return this;
  }

  private Behavior<Command> onRestored(Restored r) {
    currentRevision = Math.max(currentRevision, r.currentRevision());
    term = Math.max(term, r.term());
    WatchStream.Restored restored = new WatchStream.Restored(r.currentRevision(), r.term());
    for (ActorRef<WatchStream.Command> s : streams.keySet()) {
      s.tell(restored);
    }
    return this;
  }

  private Behavior<Command> onOpenStream(OpenStream o) {
    Duration progress = ProgressInterval.forStream(settings.progressNotifyInterval(), random);
    ActorRef<WatchStream.Command> s =
        ctx.spawn(
            WatchStream.create(ctx.getSelf(), settings, progress, history, currentRevision, term),
            "stream-" + opened++);
    ctx.watch(s);
    streams.put(s, 0);
    if (o.requireLeader()) {
      requireLeader.add(s);
    }
    o.replyTo().tell(s);
    return this;
  }

  private Behavior<Command> onNoLeader() {
    if (!requireLeader.isEmpty()) {
      ctx.getLog()
          .info("no leader: ending {} watch streams opened with hasleader", requireLeader.size());
    }
    for (ActorRef<WatchStream.Command> s : requireLeader) {
      s.tell(new WatchStream.Abort(WatchError.NO_LEADER));
    }
    requireLeader.clear();
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus g) {
    long watchers = 0;
    for (int n : streams.values()) {
      watchers += n;
    }
    g.replyTo().tell(new Status(streams.size(), watchers));
    return this;
  }

  private Behavior<Command> onWatchersChanged(WatchersChanged w) {
    streams.computeIfPresent(w.stream(), (s, n) -> w.watchers());
    return this;
  }

  private Behavior<Command> onTerminated(Terminated t) {
    ActorRef<WatchStream.Command> s = t.getRef().unsafeUpcast();
    streams.remove(s);
    requireLeader.remove(s);
    return this;
  }
}
