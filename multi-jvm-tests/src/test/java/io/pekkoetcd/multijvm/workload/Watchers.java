package io.pekkoetcd.multijvm.workload;

import io.pekkoetcd.multijvm.harness.MemberCluster;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.watch.WatchChecker;
import io.pekkoetcd.testkit.wire.WireWatchStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One watcher per member on the clients' key prefix, from revision 1 with prev_kv, kept through the
 * faults: when its stream ends (its member was killed), it opens a new one on the same member from
 * the revision after the last it received (etcd's resumable guarantee), retrying with a short
 * backoff until the member is back. What each received is checked by testkit's {@link WatchChecker}
 * (ordered, unique, atomic, reliable, resumable, prevKV, isCreate) against the written history.
 */
public final class Watchers implements AutoCloseable {
  static final String PREFIX = "mjvm/";

  /** What every watcher asks for: the prefix, from revision 1, with prev_kv. */
  static final WatchChecker.Spec SPEC =
      new WatchChecker.Spec(k -> k.startsWith(KvCalls.bs(PREFIX)), 1, true, false, false);

  private static final long RETRY_MS = 200;

  /** One member's watcher: its thread appends what it receives. */
  private static final class Watcher {
    final int member;
    final List<WatchResponse> received = new ArrayList<>();
    volatile long lastRevision;
    volatile int streams;

    Watcher(int member) {
      this.member = member;
    }
  }

  private final MemberCluster cluster;
  private final List<Watcher> watchers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

  public Watchers(MemberCluster cluster) {
    this.cluster = cluster;
  }

  public void start() {
    for (int m = 0; m < cluster.size(); m++) {
      Watcher w = new Watcher(m);
      watchers.add(w);
      Thread t = new Thread(() -> watch(w), "mjvm-watcher-m" + (m + 1));
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void watch(Watcher w) {
    while (!stopped.get()) {
      try (WireWatchStream s = new WireWatchStream(cluster.channel(w.member), false)) {
        w.streams++;
        s.create(
            WatchCreateRequest.newBuilder()
                .setKey(KvCalls.bs(PREFIX))
                .setRangeEnd(KvCalls.bs(KvCalls.prefixEnd(PREFIX)))
                .setStartRevision(w.lastRevision + 1)
                .setPrevKv(true));
        while (!stopped.get() && !(s.ended.isDone() && s.responses.isEmpty())) {
          WatchResponse r = s.responses.poll(100, TimeUnit.MILLISECONDS);
          if (r == null) {
            continue;
          }
          if (r.getCanceled()) {
            failures.add("m" + (w.member + 1) + ": watch canceled: " + r.getCancelReason());
            return;
          }
          if (r.getEventsCount() > 0) {
            synchronized (w.received) {
              w.received.add(r);
            }
            w.lastRevision = r.getEvents(r.getEventsCount() - 1).getKv().getModRevision();
          }
        }
        TimeUnit.MILLISECONDS.sleep(RETRY_MS); // reconnect backoff while the member is down
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the channel refused the call (member down): retry after the backoff
        try {
          TimeUnit.MILLISECONDS.sleep(RETRY_MS);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Polls until every watcher has received events through {@code revision}. */
  public void awaitRevision(long revision, Duration timeout) throws Exception {
    Poll.until(
        timeout,
        () -> "every watcher through revision " + revision + "; at " + lastRevisions(),
        () -> watchers.stream().allMatch(w -> w.lastRevision >= revision));
  }

  private List<Long> lastRevisions() {
    return watchers.stream().map(w -> w.lastRevision).toList();
  }

  /**
   * The violations of etcd's watch guarantees in what every watcher received through {@code
   * revision}, against {@code history}.
   */
  public List<String> violations(WatchChecker history, long revision) {
    List<String> out = new ArrayList<>(failures);
    for (Watcher w : watchers) {
      List<WatchResponse> got;
      synchronized (w.received) {
        got = List.copyOf(w.received);
      }
      for (String v : history.check(SPEC, got, revision)) {
        out.add("watcher on m" + (w.member + 1) + ": " + v);
      }
    }
    return out;
  }

  /** Streams opened by all watchers together (more than one per member: resumed after a kill). */
  public int streams() {
    return watchers.stream().mapToInt(w -> w.streams).sum();
  }

  /** Events received by all watchers together. */
  public long events() {
    long n = 0;
    for (Watcher w : watchers) {
      synchronized (w.received) {
        n += w.received.stream().mapToLong(WatchResponse::getEventsCount).sum();
      }
    }
    return n;
  }

  @Override
  public void close() throws InterruptedException {
    stopped.set(true);
    for (Thread t : threads) {
      t.join(5_000);
    }
  }
}
