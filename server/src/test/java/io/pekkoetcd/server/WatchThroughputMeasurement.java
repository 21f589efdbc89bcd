package io.pekkoetcd.server;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.testkit.wire.WireWatchStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test (never asserts time; run with {@code -Dwatch.measure=true}): put
 * throughput of 8 concurrent writers with 0 and with 100 watch streams on the written prefix, each
 * reading everything, and the heap in use afterwards.
 */
@EnabledIfSystemProperty(named = "watch.measure", matches = "true")
class WatchThroughputMeasurement {
  @TempDir Path dir;

  @Test
  void putThroughputWithAndWithoutWatchers() throws Exception {
    try (InProcessMember member = InProcessMember.start(dir.resolve("data"), "measure")) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", member.port()).usePlaintext().build();
      try {
        run(channel, 0, "warm-up");
        run(channel, 0, "0 watchers");
        run(channel, 100, "100 watchers");
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void run(ManagedChannel channel, int watchers, String label) throws Exception {
    List<WireWatchStream> streams = new ArrayList<>();
    for (int i = 0; i < watchers; i++) {
      WireWatchStream s = new WireWatchStream(channel, false);
      s.create(
          WatchCreateRequest.newBuilder()
              .setKey(ByteString.copyFromUtf8("m/"))
              .setRangeEnd(ByteString.copyFromUtf8("m0")));
      s.next();
      streams.add(s);
    }
    int writers = 8;
    int perWriter = 250;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      done.add(
          pool.submit(
              () -> {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
                for (int i = 0; i < perWriter; i++) {
                  kv.withDeadlineAfter(30, TimeUnit.SECONDS)
                      .put(
                          PutRequest.newBuilder()
                              .setKey(ByteString.copyFromUtf8("m/" + id + "/" + i))
                              .setValue(ByteString.copyFromUtf8("v"))
                              .build());
                }
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    pool.shutdown();
    // every watcher got every event
    for (WireWatchStream s : streams) {
      int events = 0;
      while (events < writers * perWriter) {
        events += s.next().getEventsCount();
      }
      s.close();
    }
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.out.printf(
        "%s: %d puts by %d writers in %d ms = %.0f puts/s; heap used after %d MiB%n",
        label,
        writers * perWriter,
        writers,
        ms,
        writers * perWriter * 1000.0 / ms,
        (rt.totalMemory() - rt.freeMemory()) >> 20);
  }
}
