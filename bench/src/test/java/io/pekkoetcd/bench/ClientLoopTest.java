package io.pekkoetcd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

/** ClientLoop over a channel whose calls complete inside the send, the case that could recurse. */
class ClientLoopTest {
  /** Every call answers (or fails with {@code status}) as soon as the request is half-closed. */
  private static Channel answeringAtOnce(Status status) {
    return new Channel() {
      @Override
      @SuppressWarnings("unchecked")
      public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
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
      new ClientLoop(answeringAtOnce(status), w, budget).start();
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
  void failedRequestsAreCountedAndTheLoopGoesOn() throws InterruptedException {
    assertThat(run(Status.UNAVAILABLE, 2, 50_000)).containsExactly(0, 50_000);
  }
}
