package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.testkit.watch.WatchChecker;
import io.pekkoetcd.testkit.watch.WatchChecker.Change;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's watch guarantees (ordered, unique, atomic, reliable, resumable, prevKV, isCreate; see {@link WatchChecker})
 * over a seeded random workload of puts, deletes and two-key txns from 3 concurrent writers, watched by 100 watch
 * streams with different ranges, filters, prev_kv and start revisions — some created mid-workload from a past
 * revision — one of which stops reading until the workload is over (on a connection with a 64 KiB window, so it
 * becomes a victim). The seed is printed; {@code -Dwatch.seed=N} replays it.
 */
class WatchGuaranteesTest {
  static final int WATCHERS = 100;
  static final int STALLED = 42;
  static final int WRITERS = 3;
  static final int OPS = 200;
  static final int KEYS = 20;
  static final String VALUE = "v".repeat(3 * 1024);

  @TempDir Path dir;

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static String key(int i) {
    return String.format("k/%02d", i);
  }

  record Watch(int index, WireWatchStream stream, WatchCreateRequest request, Predicate<ByteString> keys) {}

  @Test
  void everyWatcherGetsExactlyTheHistoryItAskedFor() throws Exception {
    long seed = Long.getLong("watch.seed", System.nanoTime());
    System.out.println("WatchGuaranteesTest seed " + seed);
    Random random = new Random(seed);
    WatchChecker checker = new WatchChecker();
    try (InProcessMember member = InProcessMember.start(dir.resolve("data"), "guarantees")) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", member.port()).usePlaintext().maxInboundMessageSize(64 << 20).build();
      ManagedChannel slowChannel =
          NettyChannelBuilder.forAddress("127.0.0.1", member.port())
              .usePlaintext()
              .flowControlWindow(64 * 1024)
              .maxInboundMessageSize(64 << 20)
              .build();
      try {
        Map<Integer, Watch> watches = new LinkedHashMap<>();
        Map<Integer, Long> starts = new LinkedHashMap<>();
        List<Integer> late = new ArrayList<>();
        for (int i = 0; i < WATCHERS; i++) {
          if (i % 7 == 3) {
            late.add(i);
          } else {
            open(i, i == STALLED ? slowChannel : channel, 0, watches, starts);
          }
        }
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          long writerSeed = random.nextLong();
          writers.add(pool.submit(() -> write(kv, new Random(writerSeed), checker)));
        }
        // Watchers created mid-workload, from a revision already written: they replay, then follow.
        long halfway = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (checker.lastRevision() < WRITERS * OPS / 3
            && writers.stream().anyMatch(f -> !f.isDone())
            && System.nanoTime() < halfway) {
          TimeUnit.MILLISECONDS.sleep(10);
        }
        for (int i : late) {
          long from = Math.max(1, checker.lastRevision() - random.nextInt(100));
          open(i, channel, from, watches, starts);
        }
        for (Future<?> f : writers) {
          f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long last = checker.lastRevision();
        watches.get(STALLED).stream().request(Integer.MAX_VALUE);
        List<String> violations = new ArrayList<>();
        for (Watch w : watches.values()) {
          List<WatchResponse> events = readThrough(w.stream(), last);
          WatchCreateRequest r = w.request();
          WatchChecker.Spec spec =
              new WatchChecker.Spec(
                  w.keys(),
                  starts.get(w.index()),
                  r.getPrevKv(),
                  r.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT),
                  r.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE));
          for (String v : checker.check(spec, events, last)) {
            violations.add("watcher " + w.index() + " (" + r.toString().replace('\n', ' ') + "): " + v);
          }
          w.stream().close();
        }
        assertThat(violations).as("seed " + seed).isEmpty();
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        slowChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void open(int i, ManagedChannel channel, long startRevision, Map<Integer, Watch> watches, Map<Integer, Long> starts)
      throws InterruptedException {
    WireWatchStream s = new WireWatchStream(channel, i == STALLED);
    if (i == STALLED) {
      s.request(1);
    }
    WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder().setStartRevision(startRevision);
    Predicate<ByteString> keys;
    Comparator<ByteString> cmp = ByteString.unsignedLexicographicalComparator();
    switch (i == STALLED ? 0 : i % 4) {
      case 0 -> {
        b.setKey(bs("\0")).setRangeEnd(bs("\0"));
        keys = k -> true;
      }
      case 1 -> {
        b.setKey(bs("k/0")).setRangeEnd(bs("k/1"));
        keys = k -> k.startsWith(bs("k/0"));
      }
      case 2 -> {
        ByteString single = bs(key(i % KEYS));
        b.setKey(single);
        keys = single::equals;
      }
      default -> {
        b.setKey(bs(key(5))).setRangeEnd(bs(key(15)));
        keys = k -> cmp.compare(k, bs(key(5))) >= 0 && cmp.compare(k, bs(key(15))) < 0;
      }
    }
    b.setPrevKv(i % 3 == 0);
    if (i % 10 == 7) {
      b.addFilters(WatchCreateRequest.FilterType.NOPUT);
    } else if (i % 10 == 8) {
      b.addFilters(WatchCreateRequest.FilterType.NODELETE);
    }
    WatchCreateRequest request = b.build();
    s.send(io.pekkoetcd.protocol.etcdserverpb.WatchRequest.newBuilder().setCreateRequest(request).build());
    WatchResponse created = s.next();
    assertThat(created.getCreated()).isTrue();
    assertThat(created.getCanceled()).isFalse();
    watches.put(i, new Watch(i, s, request, keys));
    starts.put(i, startRevision == 0 ? created.getHeader().getRevision() + 1 : startRevision);
  }

  private static void write(KVGrpc.KVBlockingStub kv, Random random, WatchChecker checker) {
    for (int op = 0; op < OPS; op++) {
      KVGrpc.KVBlockingStub stub = kv.withDeadlineAfter(30, TimeUnit.SECONDS);
      int choice = random.nextInt(10);
      if (choice < 6) {
        ByteString k = bs(key(random.nextInt(KEYS)));
        ByteString v = bs(VALUE + op);
        long rev = stub.put(PutRequest.newBuilder().setKey(k).setValue(v).build()).getHeader().getRevision();
        checker.record(rev, List.of(Change.put(k, v)));
      } else if (choice < 8) {
        ByteString k = bs(key(random.nextInt(KEYS)));
        var r = stub.deleteRange(DeleteRangeRequest.newBuilder().setKey(k).build());
        if (r.getDeleted() > 0) {
          checker.record(r.getHeader().getRevision(), List.of(Change.delete(k)));
        }
      } else {
        int a = random.nextInt(KEYS);
        int b = (a + 1 + random.nextInt(KEYS - 1)) % KEYS;
        ByteString ka = bs(key(a));
        ByteString kb = bs(key(b));
        ByteString v = bs("txn" + op);
        TxnRequest txn =
            TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ka).setValue(v)))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(kb).setValue(v)))
                .build();
        long rev = stub.txn(txn).getHeader().getRevision();
        checker.record(rev, List.of(Change.put(ka, v), Change.put(kb, v)));
      }
    }
  }

  /**
   * The event responses of {@code s} until a progress answer says it has everything through {@code revision}
   * (progress requests are repeated until one is answered: they are answered only once all watchers are synced).
   */
  private static List<WatchResponse> readThrough(WireWatchStream s, long revision) throws InterruptedException {
    List<WatchResponse> events = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      s.progress();
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
      WatchResponse r;
      while ((r = s.responses.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
        if (r.getWatchId() == -1 && r.getEventsCount() == 0) {
          if (r.getHeader().getRevision() >= revision) {
            return events;
          }
        } else if (r.getCanceled()) {
          throw new AssertionError("watcher canceled: " + r);
        } else if (r.getEventsCount() > 0) {
          events.add(r);
        }
      }
    }
    throw new AssertionError("no progress answer at revision " + revision + " within 60 s");
  }
}
