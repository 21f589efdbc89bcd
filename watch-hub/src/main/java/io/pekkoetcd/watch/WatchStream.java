package io.pekkoetcd.watch;

import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * One gRPC Watch stream: owns its watchers ({@link WatcherSet}) and its bounded outbound buffer.
 *
 * <p>Flow control: responses go to the gRPC response stream one at a time, the next only after the
 * stream pulled the previous one (an {@link ActorSource} with backpressure). Responses with events
 * wait in a buffer of {@link WatchSettings#streamBuffer()} responses; a watcher whose response does
 * not fit becomes a victim and keeps only the revision it needs next. When the client has read the
 * buffer down to half, victims catch up from history, one read at a time. So a client that does not
 * read costs a bounded buffer, never blocks the hub, the KV actor or other streams, and misses
 * nothing (or is canceled with {@code compact_revision} if that history was compacted). Control
 * responses (created, canceled, progress answers) are never dropped: they are bounded by the
 * client's own requests.
 *
 * <p>Ending: the actor stops when the gRPC response stream ends (the client went away). It ends the
 * response stream itself with a {@link WatchException} when the client's request stream fails (the
 * client canceled: {@link WatchError#CANCELED}) or when the hub aborts it ({@link
 * WatchError#NO_LEADER} for {@code hasleader} streams). It tells the hub its watcher count whenever
 * that changes, so the hub can report the member's totals.
 */
public final class WatchStream extends AbstractBehavior<WatchStream.Command> {

  /** Messages of a watch stream. */
  public sealed interface Command {}

  /** Revisions the hub forwards as they are applied. */
  record Applied(List<RevisionEvents> revisions, long currentRevision, long term)
      implements Command {}

  /**
   * The hub ends the stream with {@code error}: the client gets its status, the watchers are gone.
   */
  record Abort(WatchError error) implements Command {}

  /**
   * The store was replaced by a snapshot at {@code currentRevision}: synced watchers catch up from
   * history.
   */
  record Restored(long currentRevision, long term) implements Command {}

  private record Attach(ActorRef<Out> out) implements Command {}

  private record RequestsStarted(ActorRef<RequestAck> ackTo) implements Command {}

  private record Request(WatchRequest request, ActorRef<RequestAck> ackTo) implements Command {}

  private enum RequestsEnded implements Command {
    INSTANCE
  }

  private record RequestsFailed(Throwable cause) implements Command {}

  private enum Pulled implements Command {
    INSTANCE
  }

  private enum Closed implements Command {
    INSTANCE
  }

  private record HistoryRead(long fromRev, WatchHistory.Batch batch, Throwable failure)
      implements Command {}

  private enum ProgressTick implements Command {
    INSTANCE
  }

  private enum RetryHistory implements Command {
    INSTANCE
  }

  /** The acknowledgement the request sink waits for before it delivers the next client request. */
  enum RequestAck {
    INSTANCE
  }

  /**
   * What the actor gives the response stream: the responses buffered since the stream last pulled
   * (in order; the stream sends each as its own gRPC message), or the failure that ends it.
   */
  private sealed interface Out {}

  private record Responses(List<WatchResponse> responses) implements Out {}

  private record Fail(WatchException cause) implements Out {}

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ActorRef<WatchHub.Command> hub;
  private final WatchSettings settings;
  private final WatchHistory history;
  private final WatcherSet watchers;
  private final ArrayDeque<WatchResponse> buffer = new ArrayDeque<>();
  private final WatcherSet.Outbox outbox = new BufferOutbox();
  private int eventResponses;
  private ActorRef<Out> out;
  private WatchError aborted;
  private int reportedWatchers;
  private boolean awaitingPull;
  private boolean reading;
  private boolean victimsLogged;

  /**
   * A stream of {@code hub} whose {@code progress_notify} watchers hear of progress every {@code
   * progressInterval} (etcd's interval with this stream's jitter, see {@link ProgressInterval}).
   */
  static Behavior<Command> create(
      ActorRef<WatchHub.Command> hub,
      WatchSettings settings,
      Duration progressInterval,
      WatchHistory history,
      long currentRevision,
      long term) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new WatchStream(
                        ctx,
                        timers,
                        hub,
                        settings,
                        progressInterval,
                        history,
                        currentRevision,
                        term)));
  }

  private WatchStream(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      ActorRef<WatchHub.Command> hub,
      WatchSettings settings,
      Duration progressInterval,
      WatchHistory history,
      long currentRevision,
      long term) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.hub = hub;
    this.settings = settings;
    this.history = history;
    this.watchers = new WatcherSet(settings, currentRevision, term);
    timers.startTimerWithFixedDelay(ProgressTick.INSTANCE, progressInterval);
  }

  /**
   * The gRPC response stream of {@code stream}, fed by it; {@code requests} (the client's side) are
   * delivered to it one at a time. The actor stops when the response stream ends (the client went
   * away).
   */
  static Source<WatchResponse, NotUsed> responses(
      ActorRef<Command> stream, Source<WatchRequest, NotUsed> requests, Materializer mat) {
    return ActorSource.<Out, Command>actorRefWithBackpressure(
            stream,
            Pulled.INSTANCE,
            o -> Optional.empty(),
            o -> o instanceof Fail f ? Optional.of(f.cause()) : Optional.empty())
        .watchTermination(
            (ref, done) -> {
              done.whenComplete((d, e) -> stream.tell(Closed.INSTANCE));
              return ref;
            })
        .mapMaterializedValue(
            ref -> {
              stream.tell(new Attach(ref));
              requests.runWith(
                  ActorSink.<WatchRequest, Command, RequestAck>actorRefWithBackpressure(
                      stream,
                      (ackTo, r) -> new Request(r, ackTo),
                      RequestsStarted::new,
                      RequestAck.INSTANCE,
                      RequestsEnded.INSTANCE,
                      RequestsFailed::new),
                  mat);
              return NotUsed.notUsed();
            })
        .mapConcat(o -> ((Responses) o).responses());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Applied.class, this::onApplied)
        .onMessage(Abort.class, a -> abort(a.error()))
        .onMessage(Restored.class, this::onRestored)
        .onMessage(Attach.class, this::onAttach)
        .onMessage(RequestsStarted.class, this::onRequestsStarted)
        .onMessage(Request.class, this::onRequest)
        .onMessageEquals(
            RequestsEnded.INSTANCE, () -> this) // half-close: keep serving, as etcd does
        .onMessage(RequestsFailed.class, f -> abort(WatchError.CANCELED))
        .onMessageEquals(Pulled.INSTANCE, this::onPulled)
        .onMessageEquals(Closed.INSTANCE, Behaviors::stopped)
        .onMessage(HistoryRead.class, this::onHistoryRead)
        .onMessageEquals(ProgressTick.INSTANCE, this::onProgressTick)
        .onMessageEquals(RetryHistory.INSTANCE, this::readHistoryIfDue)
        .build();
  }

  private Behavior<Command> onApplied(Applied a) {
    watchers.applied(a.revisions(), a.currentRevision(), a.term(), outbox);
    reportWatchers();
    return readHistoryIfDue();
  }

  private Behavior<Command> onRestored(Restored r) {
    watchers.restored(r.currentRevision(), r.term());
    return readHistoryIfDue();
  }

  private Behavior<Command> onAttach(Attach a) {
    out = a.out();
    if (aborted != null) {
      out.tell(new Fail(new WatchException(aborted)));
      return this;
    }
    return push();
  }

  /**
   * End the response stream with {@code error} (once): its failure reaches the client as etcd's
   * status, and its termination stops this actor. Nothing else is sent meanwhile.
   */
  private Behavior<Command> abort(WatchError error) {
    if (aborted == null) {
      ctx.getLog().debug("ending the watch stream: {}", error);
      aborted = error;
      buffer.clear();
      eventResponses = 0;
      if (out != null) {
        out.tell(new Fail(new WatchException(error)));
      }
    }
    return this;
  }

  /**
   * Tell the hub the stream's watcher count if it changed (creates, cancels, compaction cancels).
   */
  private void reportWatchers() {
    int n = watchers.size();
    if (n != reportedWatchers) {
      reportedWatchers = n;
      hub.tell(new WatchHub.WatchersChanged(ctx.getSelf(), n));
    }
  }

  private Behavior<Command> onRequestsStarted(RequestsStarted s) {
    s.ackTo().tell(RequestAck.INSTANCE);
    return this;
  }

  private Behavior<Command> onRequest(Request r) {
    WatchRequest req = r.request();
    switch (req.getRequestUnionCase()) {
      case CREATE_REQUEST -> watchers.create(req.getCreateRequest(), outbox);
      case CANCEL_REQUEST -> watchers.cancel(req.getCancelRequest().getWatchId(), outbox);
      case PROGRESS_REQUEST -> watchers.progressRequested(outbox);
      case REQUESTUNION_NOT_SET -> {}
    }
    reportWatchers();
    r.ackTo().tell(RequestAck.INSTANCE);
    return readHistoryIfDue();
  }

  private Behavior<Command> onPulled() {
    awaitingPull = false;
    push();
    if (eventResponses <= settings.streamBuffer() / 2 && watchers.hasVictims()) {
      watchers.releaseVictims();
    }
    return readHistoryIfDue();
  }

  private Behavior<Command> onProgressTick() {
    watchers.progressTick(outbox);
    return this;
  }

  /**
   * Start one history read if some watcher is behind and the buffer has room for what it brings.
   */
  private Behavior<Command> readHistoryIfDue() {
    if (reading || eventResponses > settings.streamBuffer() / 2) {
      return this;
    }
    OptionalLong from = watchers.nextHistoryRead();
    if (from.isEmpty()) {
      return this;
    }
    long fromRev = from.getAsLong();
    reading = true;
    ctx.pipeToSelf(
        history.read(fromRev, settings.maxRevisionsPerRead()),
        (batch, e) -> new HistoryRead(fromRev, batch, e));
    return this;
  }

  private Behavior<Command> onHistoryRead(HistoryRead r) {
    reading = false;
    if (r.failure() != null) {
      ctx.getLog()
          .warn(
              "watch history read from revision {} failed, retrying: {}",
              r.fromRev(),
              r.failure().toString());
      timers.startSingleTimer(RetryHistory.INSTANCE, Duration.ofMillis(100));
      return this;
    }
    watchers.history(r.fromRev(), r.batch(), outbox);
    reportWatchers();
    return readHistoryIfDue();
  }

  /**
   * Hand everything buffered to the response stream at once, if it has pulled since the last
   * hand-over: one message and one acknowledgement per batch rather than per response, so that a
   * busy stream costs two actor messages per apply batch, not per watcher (the buffer stays the
   * bound: a batch is at most what it held).
   */
  private Behavior<Command> push() {
    if (out != null && aborted == null && !awaitingPull && !buffer.isEmpty()) {
      List<WatchResponse> batch = new ArrayList<>(buffer);
      buffer.clear();
      for (WatchResponse r : batch) {
        if (isEventResponse(r)) {
          eventResponses--;
        }
      }
      out.tell(new Responses(batch));
      awaitingPull = true;
    }
    return this;
  }

  private static boolean isEventResponse(WatchResponse r) {
    return !r.getCreated() && !r.getCanceled() && r.getWatchId() != -1;
  }

  private final class BufferOutbox implements WatcherSet.Outbox {
    @Override
    public boolean offerEvents(List<WatchResponse> fragments) {
      if (aborted != null) {
        return true; // the stream is ending: nothing more is sent
      }
      if (eventResponses >= settings.streamBuffer()) {
        if (!victimsLogged) {
          victimsLogged = true;
          ctx.getLog()
              .debug(
                  "buffer full ({} responses): watchers fall behind and catch up from history",
                  eventResponses);
        }
        return false;
      }
      victimsLogged = false;
      buffer.addAll(fragments);
      eventResponses += fragments.size();
      push();
      return true;
    }

    @Override
    public void control(WatchResponse response) {
      if (aborted != null) {
        return;
      }
      buffer.add(response);
      push();
    }
  }
}
