package io.pekkoetcd.bench;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
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
 * <p>Each request goes to the next of the phase's channels, starting at the loop's own: etcd's
 * benchmark gives every client a clientv3 connection to all endpoints, whose balancer picks the
 * next endpoint for every call (round robin, etcd 3.4). So at one client a third of the requests on
 * three members go to the leader whichever member leads, as in etcd's tool; pinned to one channel,
 * one client would measure only what the first endpoint's role happens to be.
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
  private final List<? extends Channel> channels;
  private int nextChannel;
  private final Workload workload;
  private final Budget budget;
  private final AtomicInteger wip = new AtomicInteger();
  private long sentAt;

  /** A request taken before it was due, sent when the timer runs {@link #next} at its time. */
  private long pending = -1;

  /** A loop sending its first request on {@code channels.get(first % size)}, then the next. */
  ClientLoop(List<? extends Channel> channels, int first, Workload workload, Budget budget) {
    this.channels = List.copyOf(channels);
    this.nextChannel = first % channels.size();
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
    Channel channel = channels.get(nextChannel);
    nextChannel = (nextChannel + 1) % channels.size();
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
