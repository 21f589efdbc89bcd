package io.pekkoetcd.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The {@code watch} workload's watchers: {@code watchers} watchers on one key prefix, spread over
 * {@code streams} Watch streams (etcd's bidirectional Watch/Watch), stream {@code i} on channel
 * {@code i % channels}, watcher {@code j} on stream {@code j % streams}. {@link #open} sends every
 * create request and returns once the server has answered every one with {@code created}, so the
 * watchers exist before the clock starts; watch ids are the server's, one map per stream.
 *
 * <p>Each response may carry many events: each counts for its watcher, and its delivery latency is
 * the response's arrival ({@link System#nanoTime()}, once per response) minus the send time the
 * writer stamped into the value's first 8 bytes ({@link Workload.StampedPut}; same JVM, so the two
 * clocks are one). The callback runs on the channel's transport thread with grpc-java's automatic
 * inbound flow control, so it only counts and records. A {@code canceled} response, a {@code
 * compact_revision}, events for a watch id never created, an unstamped value and a failed stream
 * are errors ({@link #errors}); errors after {@link #close} are not counted.
 */
final class WatchStreams implements AutoCloseable {
  private final List<Stream> streams = new ArrayList<>();
  private final Recorder latencies = new Recorder(1, LoadGen.MAX_LATENCY_NANOS, 3);
  private final Errors errors = new Errors();
  private final CountDownLatch created;
  private final int watchers;
  private volatile long lastEventNanos;
  private volatile boolean closing;

  private WatchStreams(int watchers) {
    this.watchers = watchers;
    this.created = new CountDownLatch(watchers);
  }

  /**
   * Opens the streams and creates the watchers on {@code prefix}; waits at most {@code boundNanos}
   * for every {@code created}, and fails (closing what it opened) when one is missing then or an
   * error came first.
   */
  static WatchStreams open(
      List<? extends Channel> channels,
      ByteString prefix,
      int watchers,
      int streams,
      long boundNanos)
      throws InterruptedException {
    WatchStreams w = new WatchStreams(watchers);
    WatchRequest create =
        WatchRequest.newBuilder()
            .setCreateRequest(
                WatchCreateRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix)))
            .build();
    for (int i = 0; i < streams; i++) {
      w.streams.add(w.new Stream(channels.get(i % channels.size())));
    }
    for (int j = 0; j < watchers; j++) {
      w.streams.get(j % streams).requests.onNext(create);
    }
    long until = System.nanoTime() + boundNanos;
    while (!w.created.await(100, TimeUnit.MILLISECONDS)) {
      if (w.errors.total() > 0 || System.nanoTime() - until >= 0) {
        w.close();
        throw new StatusRuntimeException(
            Status.DEADLINE_EXCEEDED.withDescription(
                w.created.getCount()
                    + " of "
                    + watchers
                    + " watchers not created; errors: "
                    + w.errors.summary()));
      }
    }
    return w;
  }

  /**
   * etcd's prefix range end ({@code clientv3.GetPrefixRangeEnd}): the prefix with its last byte
   * below 0xFF incremented and the bytes after it dropped; {@code "\0"} (every key) when there is
   * none.
   */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }

  /**
   * Waits until every watcher has received {@code puts} events or {@code boundNanos} pass (polling
   * every 10 ms), and reports what they received; delivery seconds are from {@code startNanos} to
   * the last event.
   */
  Delivery awaitDelivery(long puts, long startNanos, long boundNanos) throws InterruptedException {
    long until = System.nanoTime() + boundNanos;
    while (fewest() < puts && System.nanoTime() - until < 0) {
      Thread.sleep(10);
    }
    long events = 0;
    for (Stream s : streams) {
      for (LongAdder c : s.counts.values()) {
        events += c.sum();
      }
    }
    long last = lastEventNanos;
    return new Delivery(
        watchers,
        events,
        puts * watchers,
        events == 0 ? 0 : (last - startNanos) / 1e9,
        latencies.getIntervalHistogram());
  }

  /** The fewest events any watcher has received. */
  private long fewest() {
    long min = Long.MAX_VALUE;
    for (Stream s : streams) {
      for (LongAdder c : s.counts.values()) {
        min = Math.min(min, c.sum());
      }
    }
    return min;
  }

  Errors errors() {
    return errors;
  }

  /** Cancels every stream. */
  @Override
  public void close() {
    closing = true;
    for (Stream s : streams) {
      s.requests.onError(Status.CANCELLED.withDescription("run over").asRuntimeException());
    }
  }

  private void error(Status status) {
    if (!closing) {
      errors.count(status);
    }
  }

  /** One Watch stream and the event counts of its watchers, by watch id. */
  private final class Stream implements StreamObserver<Message> {
    private final Map<Long, LongAdder> counts = new ConcurrentHashMap<>();
    private final StreamObserver<Message> requests;

    Stream(Channel channel) {
      requests =
          ClientCalls.asyncBidiStreamingCall(
              channel.newCall(EtcdCalls.WATCH, CallOptions.DEFAULT), this);
    }

    @Override
    public void onNext(Message message) {
      long now = System.nanoTime();
      WatchResponse r = (WatchResponse) message;
      if (r.getCanceled() || r.getCompactRevision() != 0) {
        error(
            Status.ABORTED.withDescription(
                "watch "
                    + r.getWatchId()
                    + " canceled: "
                    + r.getCancelReason()
                    + " (compact revision "
                    + r.getCompactRevision()
                    + ")"));
        return;
      }
      if (r.getCreated()) {
        counts.put(r.getWatchId(), new LongAdder());
        created.countDown();
      }
      if (r.getEventsCount() == 0) {
        return;
      }
      LongAdder count = counts.get(r.getWatchId());
      if (count == null) {
        error(
            Status.INTERNAL.withDescription("events for watch " + r.getWatchId() + " not created"));
        return;
      }
      for (Event e : r.getEventsList()) {
        ByteString value = e.getKv().getValue();
        if (value.size() < 8) {
          error(Status.INTERNAL.withDescription("an event without a time stamp"));
        } else {
          long nanos = now - Workload.StampedPut.stamp(value);
          latencies.recordValue(Math.min(Math.max(0, nanos), LoadGen.MAX_LATENCY_NANOS));
        }
      }
      count.add(r.getEventsCount());
      lastEventNanos = now;
    }

    @Override
    public void onError(Throwable t) {
      error(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      error(Status.UNAVAILABLE.withDescription("the server ended a watch stream"));
    }
  }
}
