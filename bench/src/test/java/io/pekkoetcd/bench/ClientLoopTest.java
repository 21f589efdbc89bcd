package io.pekkoetcd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

/** ClientLoop over a channel whose calls complete inside the send, the case that could recurse. */
class ClientLoopTest {
  /**
   * Every call answers (or fails with {@code status}) as soon as the request is half-closed; {@code
   * calls} counts them.
   */
  private static Channel answeringAtOnce(Status status, AtomicLong calls) {
    return new Channel() {
      @Override
      @SuppressWarnings("unchecked")
      public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        calls.incrementAndGet();
        return new ClientCall<>() {
          private Listener<R> listener;

          @Override
          public void start(Listener<R> l, Metadata headers) {
            listener = l;
          }

          @Override
          public void request(int n) {}

          @Override
          public void cancel(String message, Throwable cause) {}

          @Override
          public void halfClose() {
            if (status.isOk()) {
              listener.onMessage((R) PutResponse.getDefaultInstance());
            }
            listener.onClose(status, new Metadata());
          }

          @Override
          public void sendMessage(Q message) {}
        };
      }

      @Override
      public String authority() {
        return "test";
      }
    };
  }

  private static long[] run(Status status, int clients, long total) throws InterruptedException {
    return run(status, clients, total, List.of(answeringAtOnce(status, new AtomicLong())));
  }

  private static long[] run(Status status, int clients, long total, List<Channel> channels)
      throws InterruptedException {
    Workload w = Workload.of(LoadOptions.parse(new String[] {"put"}));
    Recorder latencies = new Recorder(1, LoadGen.MAX_LATENCY_NANOS, 3);
    Errors errors = new Errors();
    CountDownLatch done = new CountDownLatch(clients);
    Budget budget =
        new Budget(
            new AtomicLong(),
            total,
            System.nanoTime() + TimeUnit.SECONDS.toNanos(60),
            TimeUnit.SECONDS.toNanos(10),
            Pacer.NONE,
            latencies,
            errors,
            done);
    for (int i = 0; i < clients; i++) {
      new ClientLoop(channels, i, w, budget).start();
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    return new long[] {latencies.getIntervalHistogram().getTotalCount(), errors.total()};
  }

  @Test
  void sendsExactlyTotalWithoutGrowingTheStack() throws InterruptedException {
    // 200,000 completions inside the send would overflow the stack if each sent the next itself.
    assertThat(run(Status.OK, 3, 200_000)).containsExactly(200_000, 0);
  }

  @Test
  void eachRequestGoesToTheNextChannelAsClientv3sRoundRobin() throws InterruptedException {
    List<AtomicLong> calls = List.of(new AtomicLong(), new AtomicLong(), new AtomicLong());
    List<Channel> channels = calls.stream().map(c -> answeringAtOnce(Status.OK, c)).toList();
    // One client: a third each (pinned to its first channel, it would send all 300 there).
    assertThat(run(Status.OK, 1, 300, channels)).containsExactly(300, 0);
    assertThat(calls).extracting(AtomicLong::get).containsExactly(100L, 100L, 100L);
  }

  @Test
  void failedRequestsAreCountedAndTheLoopGoesOn() throws InterruptedException {
    assertThat(run(Status.UNAVAILABLE, 2, 50_000)).containsExactly(0, 50_000);
  }
}
