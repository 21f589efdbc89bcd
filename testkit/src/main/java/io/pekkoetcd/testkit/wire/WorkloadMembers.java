package io.pekkoetcd.testkit.wire;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.ManagedChannel;
import io.pekkoetcd.testkit.cluster.Poll;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The {@link WatchWorkload}'s connections to the members and which of them may be used: one channel
 * per member, plus one with a 64 KiB flow-control window to the stalled watcher's member; which
 * members are draining (no new writes through them) or down; and the writes in flight through each,
 * counted so that a member can be drained before it is stopped. Also the linearizable Range through
 * whichever member is up. Owns the channels: {@link #close} shuts them down.
 */
final class WorkloadMembers implements AutoCloseable {
  private final WatchWorkload.Members members;
  private final ManagedChannel[] channels;
  private final ManagedChannel slowChannel;
  private final boolean[] down;
  private final boolean[] draining;
  private final AtomicIntegerArray inFlight;

  WorkloadMembers(WatchWorkload.Members members, int stalledMember) {
    this.members = members;
    int n = members.size();
    this.channels = new ManagedChannel[n];
    this.down = new boolean[n];
    this.draining = new boolean[n];
    this.inFlight = new AtomicIntegerArray(n);
    for (int m = 0; m < n; m++) {
      channels[m] =
          io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", members.port(m))
              .usePlaintext()
              .maxInboundMessageSize(64 << 20)
              .build();
    }
    slowChannel =
        io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", members.port(stalledMember))
            .usePlaintext()
            .flowControlWindow(64 * 1024)
            .maxInboundMessageSize(64 << 20)
            .build();
  }

  int size() {
    return members.size();
  }

  /** Member {@code m}'s channel. */
  ManagedChannel channel(int m) {
    return channels[m];
  }

  /** The channel with a 64 KiB window to the stalled watcher's member. */
  ManagedChannel slowChannel() {
    return slowChannel;
  }

  /** A member that is up, chosen by {@code i}. */
  int upMember(int i) {
    int n = members.size();
    for (int k = 0; k < n; k++) {
      int m = (i + k) % n;
      if (!down[m] && !draining[m]) {
        return m;
      }
    }
    throw new IllegalStateException("no member up");
  }

  /**
   * A member to write through, counted in flight before it is checked, so that {@link #drain} can
   * wait for it; the caller {@link #release}s it when the write is over.
   */
  int acquire(int i) {
    while (true) {
      int m = upMember(i);
      inFlight.incrementAndGet(m);
      if (!draining[m] && !down[m]) {
        return m;
      }
      inFlight.decrementAndGet(m);
    }
  }

  /** A write through {@code m} (from {@link #acquire}) is over. */
  void release(int m) {
    inFlight.decrementAndGet(m);
  }

  /** Stop writes through {@code m} and wait (up to 60 s) until none is in flight. */
  void drain(int m) throws Exception {
    draining[m] = true;
    Poll.until(
        java.time.Duration.ofSeconds(60),
        "writes through m" + m + " done",
        () -> inFlight.get(m) == 0);
  }

  /** Member {@code m} has been stopped. */
  void markDown(int m) {
    down[m] = true;
  }

  /**
   * A linearizable Range through a member that is up, retried on UNAVAILABLE (e.g. "etcdserver:
   * leader changed" when the ReadIndex's leader was deposed under load) through the next member up,
   * until {@code deadline} ({@link System#nanoTime}); see {@link RetryUnavailable}. A retried read
   * is as strong as the first: each attempt is a fresh linearizable read.
   */
  RangeResponse range(RangeRequest request, long deadline) throws InterruptedException {
    return RetryUnavailable.until(
        deadline,
        (attempt, nanosLeft) ->
            KVGrpc.newBlockingStub(channels[upMember(attempt)])
                .withDeadlineAfter(nanosLeft, TimeUnit.NANOSECONDS)
                .range(request));
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    slowChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
