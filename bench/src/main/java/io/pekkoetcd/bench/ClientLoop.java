package io.pekkoetcd.bench;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * One benchmark client: sends its next request when the previous response (or error) arrives, as
 * etcd's benchmark does, so it has exactly one request in flight. No thread waits: the next request
 * is sent from the response callback (on the channel's transport thread). Requests are numbered by
 * a counter shared by all loops; a loop stops when the counter passes {@code total} or the clock
 * passes {@code deadline}, and then counts {@code done} down once.
 *
 * <p>A request has a deadline only when {@code timeoutNanos > 0}: as in etcd's benchmark, none by
 * default, since a deadline costs a timer per call (measured: a quarter of the generator's CPU per
 * request). The run as a whole is bounded by {@link LoadGen} all the same.
 *
 * <p>Sending is trampolined ({@link #wip}): a callback that runs inside the send (a call failing at
 * once) only asks the running send to go round again, so errors cannot grow the stack.
 */
final class ClientLoop implements StreamObserver<Message> {
  private final Channel channel;
  private final Workload workload;
  private final AtomicLong tickets;
  private final long total;
  private final long deadlineNanos;
  private final long timeoutNanos;
  private final Recorder latencies;
  private final Errors errors;
  private final CountDownLatch done;
  private final AtomicInteger wip = new AtomicInteger();
  private long sentAt;

  ClientLoop(
      Channel channel,
      Workload workload,
      AtomicLong tickets,
      long total,
      long deadlineNanos,
      long timeoutNanos,
      Recorder latencies,
      Errors errors,
      CountDownLatch done) {
    this.channel = channel;
    this.workload = workload;
    this.tickets = tickets;
    this.total = total;
    this.deadlineNanos = deadlineNanos;
    this.timeoutNanos = timeoutNanos;
    this.latencies = latencies;
    this.errors = errors;
    this.done = done;
  }

  /** Sends the first request; each completion sends the next. */
  void start() {
    next();
  }

  private void next() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    do {
      sendOne();
    } while (wip.decrementAndGet() != 0);
  }

  private void sendOne() {
    long now = System.nanoTime();
    long n;
    if (now - deadlineNanos >= 0 || (n = tickets.getAndIncrement()) >= total) {
      done.countDown();
      return;
    }
    Message request = workload.request(n);
    sentAt = System.nanoTime();
    ClientCalls.asyncUnaryCall(
        channel.newCall(
            workload.method(),
            timeoutNanos == 0
                ? CallOptions.DEFAULT
                : CallOptions.DEFAULT.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)),
        request,
        this);
  }

  @Override
  public void onNext(Message response) {
    latencies.recordValue(Math.min(System.nanoTime() - sentAt, LoadGen.MAX_LATENCY_NANOS));
  }

  @Override
  public void onError(Throwable t) {
    errors.count(Status.fromThrowable(t));
    next();
  }

  @Override
  public void onCompleted() {
    next();
  }
}
