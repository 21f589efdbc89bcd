package io.pekkoetcd.bench;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseKeepAliveRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseKeepAliveResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code lease-keepalive} client, as etcd's {@code benchmark lease-keepalive}: its own
 * LeaseKeepAlive stream for its own lease (granted before the clock), one keep-alive request in
 * flight, the next sent from the previous response's callback; each latency is from the request's
 * send to its response. It stops, like {@link ClientLoop}, when the {@link Budget}'s counter passes
 * the total or the clock the deadline: it then half-closes its stream and counts {@code done} down
 * once. A response with TTL 0 (the server no longer knows the lease) counts as an error and the
 * client goes on; a stream that fails or that the server ends first counts as one error and ends
 * the client. Keep-alives carry no deadline ({@code --timeout} is for unary calls; a deadline would
 * end the stream). Not paced.
 *
 * <p>Sending is trampolined ({@link #wip}) as in {@link ClientLoop}, so a response delivered inside
 * the send cannot grow the stack.
 */
final class KeepAliveLoop implements StreamObserver<Message> {
  private final Channel channel;
  private final LeaseKeepAliveRequest request;
  private final Budget budget;
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private StreamObserver<Message> requests;
  private long sentAt;

  KeepAliveLoop(Channel channel, long leaseId, Budget budget) {
    this.channel = channel;
    this.request = LeaseKeepAliveRequest.newBuilder().setID(leaseId).build();
    this.budget = budget;
  }

  /** The TTL of the leases the clients keep alive, as etcd's benchmark grants them. */
  static final long LEASE_TTL_SECONDS = 100;

  /**
   * Grants {@code clients} leases ({@value #LEASE_TTL_SECONDS} s), lease {@code j} on channel
   * {@code j % channels}, all at once, and returns their ids; each grant has a deadline of {@code
   * boundNanos}, and any failure fails the run. The leases are left to expire.
   */
  static long[] grantLeases(List<? extends Channel> channels, int clients, long boundNanos)
      throws InterruptedException {
    long[] ids = new long[clients];
    Errors errors = new Errors();
    CountDownLatch granted = new CountDownLatch(clients);
    LeaseGrantRequest grant = LeaseGrantRequest.newBuilder().setTTL(LEASE_TTL_SECONDS).build();
    for (int j = 0; j < clients; j++) {
      int client = j;
      ClientCalls.asyncUnaryCall(
          channels
              .get(j % channels.size())
              .newCall(
                  EtcdCalls.LEASE_GRANT,
                  CallOptions.DEFAULT.withDeadlineAfter(boundNanos, TimeUnit.NANOSECONDS)),
          grant,
          new StreamObserver<Message>() {
            @Override
            public void onNext(Message response) {
              LeaseGrantResponse r = (LeaseGrantResponse) response;
              if (r.getError().isEmpty()) {
                ids[client] = r.getID();
              } else {
                errors.count(Status.FAILED_PRECONDITION.withDescription(r.getError()));
              }
            }

            @Override
            public void onError(Throwable t) {
              errors.count(Status.fromThrowable(t));
              granted.countDown();
            }

            @Override
            public void onCompleted() {
              granted.countDown();
            }
          });
    }
    // Every grant ends by its deadline: the wait past it is a margin only.
    if (!granted.await(boundNanos + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS)
        || errors.total() > 0) {
      throw new StatusRuntimeException(
          Status.UNAVAILABLE.withDescription(
              "lease grants failed: " + granted.getCount() + " unanswered, " + errors.summary()));
    }
    return ids;
  }

  /** Opens the stream and sends the first keep-alive; each response sends the next. */
  void start() {
    requests =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(EtcdCalls.LEASE_KEEP_ALIVE, CallOptions.DEFAULT), this);
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
    if (stopped.get()) {
      return;
    }
    if (budget.ticket(System.nanoTime()) < 0) {
      if (stop()) {
        requests.onCompleted();
      }
      return;
    }
    sentAt = System.nanoTime();
    requests.onNext(request);
  }

  /** True the first time: counts {@code done} down once, however the client ends. */
  private boolean stop() {
    if (stopped.compareAndSet(false, true)) {
      budget.done().countDown();
      return true;
    }
    return false;
  }

  @Override
  public void onNext(Message response) {
    if (((LeaseKeepAliveResponse) response).getTTL() > 0) {
      budget.record(System.nanoTime() - sentAt);
    } else {
      budget.errors().count(Status.NOT_FOUND.withDescription("lease not found (TTL 0)"));
    }
    next();
  }

  @Override
  public void onError(Throwable t) {
    if (stop()) {
      budget.errors().count(Status.fromThrowable(t));
    }
  }

  @Override
  public void onCompleted() {
    if (stop()) {
      budget.errors().count(Status.UNAVAILABLE.withDescription("the server ended the stream"));
    }
  }
}
