package io.pekkoetcd.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * How the hub ends whole streams: client cancel, loss of the leader for hasleader streams; and its
 * status.
 */
class WatchHubTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  static final Duration WAIT = Duration.ofSeconds(10);
  static final WatchHistory NO_HISTORY =
      (from, max) ->
          CompletableFuture.completedFuture(new WatchHistory.Events(List.of(), from, from));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static ActorRef<WatchHub.Command> hub() {
    return testKit.spawn(
        WatchHub.create(
            WatchSettings.defaults(1, 2, 1 << 20), NO_HISTORY, 1, new SplittableRandom(7)));
  }

  static WatchRequest create(String key) {
    return WatchRequest.newBuilder()
        .setCreateRequest(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)))
        .build();
  }

  static WatchHub.Status status(ActorRef<WatchHub.Command> hub) {
    TestProbe<WatchHub.Status> probe = testKit.createTestProbe();
    hub.tell(new WatchHub.GetStatus(probe.getRef()));
    return probe.receiveMessage();
  }

  static void awaitStatus(ActorRef<WatchHub.Command> hub, WatchHub.Status expected) {
    TestProbe<WatchHub.Status> probe = testKit.createTestProbe();
    probe.awaitAssert(
        WAIT,
        () -> {
          assertThat(status(hub)).isEqualTo(expected);
          return null;
        });
  }

  /** The failure {@code responses} ended with (null if they completed), within {@link #WAIT}. */
  static Throwable endOf(CompletionStage<List<WatchResponse>> responses) throws Exception {
    try {
      responses.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void aFailedRequestStreamEndsTheStreamWithCanceledAndRemovesItsWatchers() throws Exception {
    ActorRef<WatchHub.Command> hub = hub();
    CompletableFuture<WatchRequest> fail = new CompletableFuture<>();
    Source<WatchRequest, NotUsed> requests =
        Source.from(List.of(create("a"), create("b"))).concat(Source.completionStage(fail));
    CompletionStage<List<WatchResponse>> responses =
        WatchHub.serve(hub, requests, false, testKit.system())
            .runWith(Sink.seq(), testKit.system());
    awaitStatus(hub, new WatchHub.Status(1, 2));
    fail.completeExceptionally(new RuntimeException("peer closed the stream (client cancel)"));
    Throwable end = endOf(responses);
    assertThat(end).isInstanceOf(WatchException.class);
    assertThat(((WatchException) end).error()).isEqualTo(WatchError.CANCELED);
    awaitStatus(hub, new WatchHub.Status(0, 0));
  }

  @Test
  void noLeaderEndsOnlyTheStreamsThatRequireOne() throws Exception {
    ActorRef<WatchHub.Command> hub = hub();
    Source<WatchRequest, NotUsed> open = Source.single(create("a")).concat(Source.never());
    CompletionStage<List<WatchResponse>> requiring =
        WatchHub.serve(hub, open, true, testKit.system()).runWith(Sink.seq(), testKit.system());
    CompletionStage<List<WatchResponse>> plain =
        WatchHub.serve(hub, open, false, testKit.system()).runWith(Sink.seq(), testKit.system());
    awaitStatus(hub, new WatchHub.Status(2, 2));
    hub.tell(WatchHub.NoLeader.INSTANCE);
    Throwable end = endOf(requiring);
    assertThat(end).isInstanceOf(WatchException.class);
    assertThat(((WatchException) end).error()).isEqualTo(WatchError.NO_LEADER);
    awaitStatus(hub, new WatchHub.Status(1, 1));
    assertThat(plain.toCompletableFuture()).isNotDone();
  }

  @Test
  void aCompletedRequestStreamKeepsServing() {
    ActorRef<WatchHub.Command> hub = hub();
    WatchHub.serve(hub, Source.single(create("a")), false, testKit.system())
        .runWith(Sink.ignore(), testKit.system());
    awaitStatus(
        hub, new WatchHub.Status(1, 1)); // half-closed by the client, as etcd: the watcher stays
  }
}
