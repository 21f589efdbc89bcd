package io.pekkoetcd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.pekkoetcd.protocol.etcdserverpb.LeaseKeepAliveResponse;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

/**
 * KeepAliveLoop and WatchStreams over a channel whose bidirectional streams answer inside the send,
 * on the caller's thread: no network, no timing.
 */
class BidiStreamsTest {
  /** A stream of the fake channel: the listener that receives what the "server" sends. */
  static final class Stream {
    ClientCall.Listener<Message> listener;
    boolean halfClosed;

    void send(Message response) {
      listener.onMessage(response);
    }
  }

  /** Every call is a stream; each request goes to {@code server} with its stream. */
  private static Channel answering(List<Stream> streams, BiConsumer<Message, Stream> server) {
    return new Channel() {
      @Override
      @SuppressWarnings("unchecked")
      public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        Stream stream = new Stream();
        streams.add(stream);
        return new ClientCall<>() {
          @Override
          public void start(Listener<R> l, Metadata headers) {
            stream.listener = (Listener<Message>) l;
          }

          @Override
          public void request(int n) {}

          @Override
          public void cancel(String message, Throwable cause) {
            stream.listener.onClose(Status.CANCELLED, new Metadata());
          }

          @Override
          public void halfClose() {
            stream.halfClosed = true;
            stream.listener.onClose(Status.OK, new Metadata());
          }

          @Override
          public void sendMessage(Q message) {
            server.accept((Message) message, stream);
          }
        };
      }

      @Override
      public String authority() {
        return "test";
      }
    };
  }

  @Test
  void keepAlivesOneAtATimeExactlyTotalWithoutGrowingTheStack() throws InterruptedException {
    List<Stream> streams = new ArrayList<>();
    Channel channel =
        answering(
            streams,
            (request, stream) ->
                stream.send(LeaseKeepAliveResponse.newBuilder().setID(7).setTTL(100).build()));
    Recorder latencies = new Recorder(1, LoadGen.MAX_LATENCY_NANOS, 3);
    Errors errors = new Errors();
    CountDownLatch done = new CountDownLatch(2);
    Budget budget =
        new Budget(
            new AtomicLong(),
            100_000,
            System.nanoTime() + TimeUnit.SECONDS.toNanos(60),
            0,
            Pacer.NONE,
            latencies,
            errors,
            done);
    new KeepAliveLoop(channel, 7, budget).start();
    new KeepAliveLoop(channel, 8, budget).start();
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(latencies.getIntervalHistogram().getTotalCount()).isEqualTo(100_000);
    assertThat(errors.total()).isZero();
    // Each client half-closed its own stream when the budget ran out.
    assertThat(streams).hasSize(2).allMatch(s -> s.halfClosed);
  }

  @Test
  void keepAliveForAnUnknownLeaseIsAnError() throws InterruptedException {
    Channel channel =
        answering(
            new ArrayList<>(),
            (request, stream) -> stream.send(LeaseKeepAliveResponse.getDefaultInstance()));
    Recorder latencies = new Recorder(1, LoadGen.MAX_LATENCY_NANOS, 3);
    Errors errors = new Errors();
    CountDownLatch done = new CountDownLatch(1);
    Budget budget =
        new Budget(
            new AtomicLong(),
            10,
            System.nanoTime() + TimeUnit.SECONDS.toNanos(60),
            0,
            Pacer.NONE,
            latencies,
            errors,
            done);
    new KeepAliveLoop(channel, 1, budget).start();
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(latencies.getIntervalHistogram().getTotalCount()).isZero();
    assertThat(errors.summary()).containsOnlyKeys("NOT_FOUND");
    assertThat(errors.total()).isEqualTo(10);
  }

  private static Event event(long stamp) {
    ByteString value = Workload.StampedPut.stamped(stamp, ByteString.copyFrom(new byte[16]));
    return Event.newBuilder().setKv(KeyValue.newBuilder().setValue(value)).build();
  }

  @Test
  void watchersCountEveryEventOfBatchedResponsesAndCancelsAreErrors() throws InterruptedException {
    List<Stream> streams = new ArrayList<>();
    AtomicLong ids = new AtomicLong(100);
    // The "server" answers each create at once with a fresh watch id.
    Channel channel =
        answering(
            streams,
            (request, stream) ->
                stream.send(
                    WatchResponse.newBuilder()
                        .setWatchId(ids.getAndIncrement())
                        .setCreated(true)
                        .build()));
    ByteString prefix = ByteString.copyFromUtf8("/p/");
    try (WatchStreams w =
        WatchStreams.open(List.of(channel), prefix, 4, 2, TimeUnit.SECONDS.toNanos(10))) {
      assertThat(streams).hasSize(2);
      // Watcher j is on stream j % 2 and got id 100 + j: 100 and 102 on stream 0, 101 and 103 on 1.
      long now = System.nanoTime();
      for (long id = 100; id < 104; id++) {
        Stream s = streams.get((int) (id % 2));
        s.send(WatchResponse.newBuilder().setWatchId(id).addEvents(event(now)).build());
        s.send(
            WatchResponse.newBuilder()
                .setWatchId(id)
                .addEvents(event(now))
                .addEvents(event(now))
                .build());
      }
      Delivery d = w.awaitDelivery(3, now, 0);
      assertThat(d.events()).isEqualTo(12);
      assertThat(d.expected()).isEqualTo(12);
      assertThat(d.latencies().getTotalCount()).isEqualTo(12);
      assertThat(w.errors().total()).isZero();

      streams.get(0).send(WatchResponse.newBuilder().setWatchId(100).setCanceled(true).build());
      streams.get(1).send(WatchResponse.newBuilder().setWatchId(9).addEvents(event(now)).build());
      assertThat(w.errors().summary()).containsOnlyKeys("ABORTED", "INTERNAL");
      // One watcher short: the wait gives up at its bound and reports what arrived.
      streams.get(1).send(WatchResponse.newBuilder().setWatchId(103).addEvents(event(now)).build());
      assertThat(w.awaitDelivery(4, now, 0).events()).isEqualTo(13);
    }
  }
}
