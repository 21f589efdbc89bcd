package io.pekkoetcd.bench;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One benchmark client: sends its next request when the previous response (or error) arrives, as
 * etcd's benchmark does, so it has exactly one request in flight. No thread waits: the next request
 * is sent from the response callback (on the channel's transport thread). Requests are numbered by
 * the {@link Budget}'s counter, shared by all loops of a phase; a loop stops when the counter
 * passes the total or the clock passes the deadline, and then counts the budget's {@code done} down
 * once.
 *
 * <p>Paced ({@code --put-rate}), a loop whose next request is not yet due leaves it to the pacer's
 * timer, which sends it at its time: the loop still has at most one request in flight, and the
 * phase offers the pacer's rate as long as its loops keep up.
 *
 * <p>A request has a deadline only when the budget's {@code timeoutNanos > 0}: as in etcd's
 * benchmark, none by default, since a deadline costs a timer per call (measured: a quarter of the
 * generator's CPU per request). The run as a whole is bounded by {@link LoadGen} all the same.
 *
 * <p>Sending is trampolined ({@link #wip}): a callback that runs inside the send (a call failing at
 * once) only asks the running send to go round again, so errors cannot grow the stack. The pacer's
 * timer goes through the same trampoline.
 */
final class ClientLoop implements StreamObserver<Message> {
  private final Channel channel;
  private final Workload workload;
  private final Budget budget;
  private final AtomicInteger wip = new AtomicInteger();
  private long sentAt;

  /** A request taken before it was due, sent when the timer runs {@link #next} at its time. */
  private long pending = -1;

  ClientLoop(Channel channel, Workload workload, Budget budget) {
    this.channel = channel;
    this.workload = workload;
    this.budget = budget;
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
    long n = pending;
    pending = -1;
    if (n < 0) {
      n = budget.ticket(now);
      if (n < 0) {
        budget.done().countDown();
        return;
      }
      long wait = budget.pacer().waitNanos(n, now);
      if (wait > 0) {
        pending = n;
        budget.pacer().timer().schedule(this::next, wait, TimeUnit.NANOSECONDS);
        return;
      }
    }
    Message request = workload.request(n);
    sentAt = System.nanoTime();
    ClientCalls.asyncUnaryCall(
        channel.newCall(
            workload.method(),
            budget.timeoutNanos() == 0
                ? CallOptions.DEFAULT
                : CallOptions.DEFAULT.withDeadlineAfter(
                    budget.timeoutNanos(), TimeUnit.NANOSECONDS)),
        request,
        this);
  }

  @Override
  public void onNext(Message response) {
    budget.record(System.nanoTime() - sentAt);
  }

  @Override
  public void onError(Throwable t) {
    budget.errors().count(Status.fromThrowable(t));
    next();
  }

  @Override
  public void onCompleted() {
    next();
  }
}
