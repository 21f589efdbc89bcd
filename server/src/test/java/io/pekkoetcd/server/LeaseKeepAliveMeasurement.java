package io.pekkoetcd.server;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test (never asserts; run with {@code -Dlease.measure=true}): 10,000 leases
 * of TTL 30 s on one member (the leader), each kept alive every TTL/3 over 10 keep-alive streams
 * (1,000 keep-alives/s), for 30 s. Reports the member's CPU (the CPU time of its {@code pekko-etcd}
 * threads, the client's grpc-java threads excluded), the heap in use after GC with and without the
 * leases, and the keep-alive round trip p50/p99/max.
 */
@EnabledIfSystemProperty(named = "lease.measure", matches = "true")
class LeaseKeepAliveMeasurement {
  @TempDir Path dir;

  static final int LEASES = 10_000;
  static final long TTL = 30;
  static final int STREAMS = 10;
  static final int SECONDS = 30;

  @Test
  void tenThousandLeasesKeptAliveEveryThirdOfTheirTtl() throws Exception {
    try (InProcessMember member = InProcessMember.start(dir.resolve("data"), "measure")) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", member.port()).usePlaintext().build();
      try {
        long heapBefore = heapAfterGc();
        LeaseGrpc.LeaseStub stub = LeaseGrpc.newStub(channel);
        long[] ids = grant(stub);
        long heapWithLeases = heapAfterGc();
        List<Long> rtts = new ArrayList<>();
        long cpu0 = serverCpuNanos();
        long wall0 = System.nanoTime();
        keepAlive(stub, ids, rtts);
        long cpu = serverCpuNanos() - cpu0;
        long wall = System.nanoTime() - wall0;
        long[] sorted = rtts.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
            "LEASE-MEASURE leases=%d ttl=%ds streams=%d keepalives=%d in %.1fs (%.0f/s);"
                + " member CPU %.2f s = %.1f %% of one core; heap after GC %d MiB -> %d MiB"
                + " (+%d bytes/lease); keep-alive RTT p50 %.2f ms p99 %.2f ms max %.2f ms%n",
            LEASES,
            TTL,
            STREAMS,
            sorted.length,
            wall / 1e9,
            sorted.length / (wall / 1e9),
            cpu / 1e9,
            100.0 * cpu / wall,
            heapBefore >> 20,
            heapWithLeases >> 20,
            (heapWithLeases - heapBefore) / LEASES,
            pct(sorted, 50) / 1e6,
            pct(sorted, 99) / 1e6,
            sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  private static long[] grant(LeaseGrpc.LeaseStub stub) throws Exception {
    long[] ids = new long[LEASES];
    Semaphore window = new Semaphore(200);
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(LEASES);
    for (int i = 0; i < LEASES; i++) {
      window.acquire();
      int at = i;
      stub.leaseGrant(
          LeaseGrantRequest.newBuilder().setTTL(TTL).build(),
          new StreamObserver<>() {
            @Override
            public void onNext(io.etcd.jetcd.api.LeaseGrantResponse r) {
              ids[at] = r.getID();
            }

            @Override
            public void onError(Throwable t) {
              t.printStackTrace();
              window.release();
              done.countDown();
            }

            @Override
            public void onCompleted() {
              window.release();
              done.countDown();
            }
          });
    }
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("grants did not finish");
    }
    return ids;
  }

  /** Each stream sends its leases' keep-alives spread evenly over TTL/3, for SECONDS. */
  private static void keepAlive(LeaseGrpc.LeaseStub stub, long[] ids, List<Long> rtts)
      throws Exception {
    long period = TimeUnit.SECONDS.toNanos(TTL) / 3;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    List<Thread> senders = new ArrayList<>();
    ConcurrentLinkedQueue<Long> all = new ConcurrentLinkedQueue<>();
    AtomicLong zero = new AtomicLong();
    for (int s = 0; s < STREAMS; s++) {
      int stream = s;
      Thread t =
          new Thread(
              () -> {
                ConcurrentLinkedQueue<Long> sent = new ConcurrentLinkedQueue<>();
                StreamObserver<LeaseKeepAliveRequest> out =
                    stub.leaseKeepAlive(
                        new StreamObserver<>() {
                          @Override
                          public void onNext(LeaseKeepAliveResponse r) {
                            Long at = sent.poll();
                            if (at != null) {
                              all.add(System.nanoTime() - at);
                            }
                            if (r.getTTL() <= 0) {
                              zero.incrementAndGet();
                            }
                          }

                          @Override
                          public void onError(Throwable t) {
                            t.printStackTrace();
                          }

                          @Override
                          public void onCompleted() {}
                        });
                long[] own = new long[ids.length / STREAMS];
                for (int i = 0; i < own.length; i++) {
                  own[i] = ids[i * STREAMS + stream];
                }
                long gap = period / own.length;
                long next = System.nanoTime();
                int i = 0;
                while (System.nanoTime() < end) {
                  long now = System.nanoTime();
                  if (now < next) {
                    java.util.concurrent.locks.LockSupport.parkNanos(next - now);
                    continue;
                  }
                  synchronized (out) {
                    sent.add(System.nanoTime());
                    out.onNext(LeaseKeepAliveRequest.newBuilder().setID(own[i]).build());
                  }
                  i = (i + 1) % own.length;
                  next += gap;
                }
                out.onCompleted();
              },
              "keepalive-" + s);
      senders.add(t);
      t.start();
    }
    for (Thread t : senders) {
      t.join();
    }
    rtts.addAll(all);
    System.out.println("LEASE-MEASURE keep-alives answered TTL 0: " + zero.get());
  }

  private static long pct(long[] sorted, int p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }

  /** CPU time of the member's own threads (its actor system is named pekko-etcd). */
  private static long serverCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (var info : mx.dumpAllThreads(false, false)) {
      if (info.getThreadName().startsWith("pekko-etcd")) {
        long t = mx.getThreadCpuTime(info.getThreadId());
        sum += Math.max(0, t);
      }
    }
    return sum;
  }

  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100); // lets the collector finish; a measurement, not synchronisation
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
