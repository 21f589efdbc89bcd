package io.pekkoetcd.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watchers on the benchmark's key prefix while it writes: {@code count} jetcd watchers (jetcd opens
 * one gRPC stream per watcher) that measure delivery latency from the send time the writer puts in
 * the first 8 bytes of every value, and optionally one stalled watcher on a connection of its own
 * whose callback blocks until the end, so that its stream stops reading and the server must buffer
 * or hold back for it alone.
 */
final class WatchLoad implements AutoCloseable {
  private final List<Client> clients = new ArrayList<>();
  private final List<Watch.Watcher> watchers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final LatencyRecorder delivery = new LatencyRecorder(5_000_000);
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong stalledEvents = new AtomicLong();

  WatchLoad(String[] endpoints, int count, boolean stalled, String prefix) {
    ByteSequence key = ByteSequence.from(prefix, StandardCharsets.UTF_8);
    WatchOption onPrefix = WatchOption.builder().isPrefix(true).build();
    int perClient = 100;
    for (int i = 0; i < count; i++) {
      if (i % perClient == 0) {
        clients.add(Client.builder().endpoints(endpoints).build());
      }
      Watch watch = clients.get(clients.size() - 1).getWatchClient();
      watchers.add(
          watch.watch(
              key,
              onPrefix,
              response -> {
                long now = System.nanoTime();
                for (WatchEvent e : response.getEvents()) {
                  events.incrementAndGet();
                  byte[] value = e.getKeyValue().getValue().getBytes();
                  if (value.length >= 8) {
                    delivery.record(now - ByteBuffer.wrap(value).getLong());
                  }
                }
              }));
    }
    if (stalled) {
      Client own = Client.builder().endpoints(endpoints).build();
      clients.add(own);
      watchers.add(
          own.getWatchClient()
              .watch(
                  key,
                  onPrefix,
                  response -> {
                    stalledEvents.addAndGet(response.getEvents().size());
                    awaitRelease();
                  }));
    }
  }

  private void awaitRelease() {
    try {
      release.await(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  long events() {
    return events.get();
  }

  LatencyRecorder delivery() {
    return delivery;
  }

  @Override
  public void close() {
    release.countDown();
    watchers.forEach(Watch.Watcher::close);
    clients.forEach(Client::close);
  }
}
