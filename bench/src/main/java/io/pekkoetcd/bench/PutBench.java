package io.pekkoetcd.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A put load through jetcd: {@code --clients} requests in flight over {@code --conns} connections
 * for {@code --seconds}, keys cycling through {@code --key-space}, values of {@code --value-size}
 * bytes. Prints one line: target, clients, requests, errors, requests/s, latency p50/p90/p99/max in
 * ms. With {@code --watchers N} (and {@code --stalled-watcher true}) watchers on the written keys
 * run meanwhile ({@link WatchLoad}) and a second line reports the events they got and the delivery
 * latency. Bounded in time and count.
 *
 * <pre>java -cp bench/target/pekko-etcd-bench.jar:bench/target/lib/* io.pekkoetcd.bench.PutBench
 *     --endpoints http://127.0.0.1:2379 --clients 100 --seconds 10</pre>
 */
public final class PutBench {
  private PutBench() {}

  record Options(
      String endpoints,
      int clients,
      int conns,
      int seconds,
      int keySpace,
      int valueSize,
      String label,
      int watchers,
      boolean stalledWatcher) {
    static Options parse(String[] args) {
      String endpoints = "http://127.0.0.1:2379";
      int clients = 1;
      int conns = 0;
      int seconds = 10;
      int keySpace = 10_000;
      int valueSize = 256;
      String label = "";
      int watchers = 0;
      boolean stalled = false;
      for (int i = 0; i < args.length; i++) {
        String v = i + 1 < args.length ? args[i + 1] : "";
        switch (args[i]) {
          case "--endpoints" -> endpoints = v;
          case "--clients" -> clients = Integer.parseInt(v);
          case "--conns" -> conns = Integer.parseInt(v);
          case "--seconds" -> seconds = Integer.parseInt(v);
          case "--key-space" -> keySpace = Integer.parseInt(v);
          case "--value-size" -> valueSize = Integer.parseInt(v);
          case "--label" -> label = v;
          case "--watchers" -> watchers = Integer.parseInt(v);
          case "--stalled-watcher" -> stalled = Boolean.parseBoolean(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
      if (clients < 1
          || seconds < 1
          || seconds > 600
          || keySpace < 1
          || watchers < 0
          || watchers > 10_000) {
        throw new IllegalArgumentException(
            "need clients >= 1, 1 <= seconds <= 600, key-space >= 1, 0 <= watchers <= 10000");
      }
      return new Options(
          endpoints,
          clients,
          conns > 0 ? conns : Math.min(clients, 8),
          seconds,
          keySpace,
          Math.max(8, valueSize),
          label,
          watchers,
          stalled);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < o.conns(); i++) {
      clients.add(Client.builder().endpoints(o.endpoints().split(",")).build());
    }
    WatchLoad watches =
        o.watchers() > 0 || o.stalledWatcher()
            ? new WatchLoad(o.endpoints().split(","), o.watchers(), o.stalledWatcher(), "bench/")
            : null;
    try {
      ByteSequence warmupValue = ByteSequence.from(new byte[o.valueSize()]);
      List<KV> kvs = clients.stream().map(Client::getKVClient).toList();
      kvs.get(0)
          .put(ByteSequence.from("bench-warmup", StandardCharsets.UTF_8), warmupValue)
          .get(30, TimeUnit.SECONDS);
      LatencyRecorder latencies = new LatencyRecorder(5_000_000);
      AtomicLong errors = new AtomicLong();
      Semaphore window = new Semaphore(o.clients());
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(o.seconds());
      long i = 0;
      while (System.nanoTime() < end) {
        if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
          continue;
        }
        long sent = System.nanoTime();
        ByteSequence key = ByteSequence.from("bench/" + (i % o.keySpace()), StandardCharsets.UTF_8);
        // The send time rides in the value, so that watchers can measure delivery latency.
        byte[] bytes = new byte[o.valueSize()];
        java.nio.ByteBuffer.wrap(bytes).putLong(sent);
        ByteSequence value = ByteSequence.from(bytes);
        kvs.get((int) (i % kvs.size()))
            .put(key, value)
            .whenComplete(
                (r, e) -> {
                  if (e == null) {
                    latencies.record(System.nanoTime() - sent);
                  } else {
                    errors.incrementAndGet();
                  }
                  window.release();
                });
        i++;
      }
      if (!window.tryAcquire(o.clients(), 60, TimeUnit.SECONDS)) {
        System.err.println("some requests did not finish within 60 s");
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      double[] p = latencies.percentilesMillis(50, 90, 99, 100);
      System.out.printf(
          Locale.ROOT,
          "%s clients=%d conns=%d requests=%d errors=%d rate=%.0f/s p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms%n",
          o.label().isEmpty() ? o.endpoints() : o.label(),
          o.clients(),
          o.conns(),
          latencies.count(),
          errors.get(),
          latencies.count() / elapsed,
          p[0],
          p[1],
          p[2],
          p[3]);
      if (watches != null) {
        // Let the watchers drain what was written (bounded wait), so that late deliveries count.
        long expected = (long) latencies.count() * o.watchers();
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (watches.events() < expected && System.nanoTime() < drainDeadline) {
          TimeUnit.MILLISECONDS.sleep(50);
        }
        double[] d = watches.delivery().percentilesMillis(50, 99);
        System.out.printf(
            Locale.ROOT,
            "  watchers=%d stalled=%s events=%d/%d delivery-p50=%.2fms delivery-p99=%.2fms%n",
            o.watchers(),
            o.stalledWatcher(),
            watches.events(),
            expected,
            d[0],
            d[1]);
      }
    } finally {
      if (watches != null) {
        watches.close();
      }
      for (Client c : clients) {
        c.close();
      }
    }
  }
}
