package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Watch service through jetcd 0.8.5's watch client (one gRPC stream per watcher) against a real
 * member: every WatchCreateRequest field jetcd exposes, progress notifications and requests, and a
 * watch from a compacted revision (shared/etcd-api.md §2.8). Watches that must not miss a write
 * start at an explicit revision, so no test depends on when the server registered them. The
 * member's progress interval is 300 ms.
 */
class WatchJetcdTest {
  @TempDir static Path dir;
  static InProcessMember member;
  static Client client;
  static KV kv;
  static Watch watch;

  static final long WAIT_S = 20;

  @BeforeAll
  static void start() throws Exception {
    member =
        InProcessMember.startWith(
            dir.resolve("data"),
            "watch-test",
            "--experimental-watch-progress-notify-interval",
            "300ms");
    client = Client.builder().endpoints(member.endpoint()).build();
    kv = client.getKVClient();
    watch = client.getWatchClient();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    member.close();
  }

  static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  static String str(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  static long put(String k, String v) throws Exception {
    return kv.put(bs(k), bs(v)).get(WAIT_S, TimeUnit.SECONDS).getHeader().getRevision();
  }

  static long del(String k) throws Exception {
    return kv.delete(bs(k)).get(WAIT_S, TimeUnit.SECONDS).getHeader().getRevision();
  }

  static long currentRevision() throws Exception {
    return kv.get(bs("nothing")).get(WAIT_S, TimeUnit.SECONDS).getHeader().getRevision();
  }

  /** What one watcher was given. */
  static final class Recorder implements Watch.Listener {
    final BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();

    @Override
    public void onNext(WatchResponse r) {
      responses.add(r);
    }

    @Override
    public void onError(Throwable t) {
      error.complete(t);
    }

    @Override
    public void onCompleted() {}

    /** The next {@code n} events, in the order they came, skipping progress notifications. */
    List<WatchEvent> events(int n) throws InterruptedException {
      List<WatchEvent> out = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
      while (out.size() < n) {
        WatchResponse r =
            responses.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(r).as("response " + out.size() + " of " + n).isNotNull();
        out.addAll(r.getEvents());
      }
      return out;
    }

    WatchResponse next(java.util.function.Predicate<WatchResponse> p) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
      while (true) {
        WatchResponse r =
            responses.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(r).as("a matching response").isNotNull();
        if (p.test(r)) {
          return r;
        }
      }
    }
  }

  static String describe(WatchEvent e) {
    return e.getEventType()
        + " "
        + str(e.getKeyValue().getKey())
        + "="
        + str(e.getKeyValue().getValue())
        + "@"
        + e.getKeyValue().getModRevision();
  }

  @Test
  void prefixWatchSeesPutsAndDeletesUnderThePrefixOnly() throws Exception {
    long from = currentRevision() + 1;
    Recorder rec = new Recorder();
    try (Watch.Watcher w =
        watch.watch(
            bs("p/"), WatchOption.builder().isPrefix(true).withRevision(from).build(), rec)) {
      long a = put("p/a", "1");
      put("q", "x");
      long b = put("p/b", "2");
      long d = del("p/a");
      List<WatchEvent> events = rec.events(3);
      assertThat(events.stream().map(WatchJetcdTest::describe))
          .containsExactly("PUT p/a=1@" + a, "PUT p/b=2@" + b, "DELETE p/a=@" + d);
      // A DELETE event carries only the key and the deletion revision.
      var deleted = events.get(2).getKeyValue();
      assertThat(deleted.getCreateRevision()).isZero();
      assertThat(deleted.getVersion()).isZero();
      assertThat(events.get(2).getPrevKV().getKey().isEmpty()).isTrue();
    }
  }

  @Test
  void rangeWatchIsHalfOpen() throws Exception {
    long from = currentRevision() + 1;
    Recorder rec = new Recorder();
    try (Watch.Watcher w =
        watch.watch(
            bs("r/a"),
            WatchOption.builder().withRange(bs("r/c")).withRevision(from).build(),
            rec)) {
      put("r/c", "out");
      put("r/a", "in");
      put("r/", "out");
      put("r/b", "in");
      assertThat(rec.events(2).stream().map(e -> str(e.getKeyValue().getKey())))
          .containsExactly("r/a", "r/b");
    }
  }

  @Test
  void startRevisionReplaysHistoryThenFollows() throws Exception {
    long first = put("h", "1");
    put("h", "2");
    put("h", "3");
    Recorder rec = new Recorder();
    try (Watch.Watcher w =
        watch.watch(bs("h"), WatchOption.builder().withRevision(first).build(), rec)) {
      List<WatchEvent> replayed = rec.events(3);
      assertThat(replayed.stream().map(e -> str(e.getKeyValue().getValue())))
          .containsExactly("1", "2", "3");
      assertThat(replayed.get(2).getKeyValue().getVersion()).isEqualTo(3);
      long fourth = put("h", "4");
      WatchEvent live = rec.events(1).get(0);
      assertThat(live.getKeyValue().getModRevision()).isEqualTo(fourth);
    }
  }

  @Test
  void prevKvOnlyWhenAsked() throws Exception {
    put("pk", "v1");
    long from = currentRevision() + 1;
    Recorder with = new Recorder();
    Recorder without = new Recorder();
    try (Watch.Watcher w1 =
            watch.watch(
                bs("pk"), WatchOption.builder().withPrevKV(true).withRevision(from).build(), with);
        Watch.Watcher w2 =
            watch.watch(bs("pk"), WatchOption.builder().withRevision(from).build(), without)) {
      put("pk", "v2");
      del("pk");
      put("pk", "v3");
      List<WatchEvent> events = with.events(3);
      assertThat(str(events.get(0).getPrevKV().getValue())).isEqualTo("v1");
      assertThat(str(events.get(1).getPrevKV().getValue())).isEqualTo("v2");
      // a creation has no previous key-value
      assertThat(events.get(2).getPrevKV().getKey().isEmpty()).isTrue();
      for (WatchEvent e : without.events(3)) {
        assertThat(e.getPrevKV().getKey().isEmpty()).isTrue();
      }
    }
  }

  @Test
  void prevKvInReplayedHistory() throws Exception {
    long first = put("ph", "a");
    put("ph", "b");
    Recorder rec = new Recorder();
    try (Watch.Watcher w =
        watch.watch(
            bs("ph"), WatchOption.builder().withPrevKV(true).withRevision(first).build(), rec)) {
      List<WatchEvent> events = rec.events(2);
      assertThat(events.get(0).getPrevKV().getKey().isEmpty()).isTrue();
      assertThat(str(events.get(1).getPrevKV().getValue())).isEqualTo("a");
    }
  }

  @Test
  void noPutAndNoDeleteFilters() throws Exception {
    long from = currentRevision() + 1;
    Recorder deletesOnly = new Recorder();
    Recorder putsOnly = new Recorder();
    try (Watch.Watcher w1 =
            watch.watch(
                bs("f/"),
                WatchOption.builder().isPrefix(true).withNoPut(true).withRevision(from).build(),
                deletesOnly);
        Watch.Watcher w2 =
            watch.watch(
                bs("f/"),
                WatchOption.builder().isPrefix(true).withNoDelete(true).withRevision(from).build(),
                putsOnly)) {
      put("f/1", "a");
      put("f/2", "b");
      del("f/1");
      put("f/3", "c");
      del("f/2");
      assertThat(
              deletesOnly.events(2).stream()
                  .map(e -> e.getEventType() + " " + str(e.getKeyValue().getKey())))
          .containsExactly("DELETE f/1", "DELETE f/2");
      assertThat(
              putsOnly.events(3).stream()
                  .map(e -> e.getEventType() + " " + str(e.getKeyValue().getKey())))
          .containsExactly("PUT f/1", "PUT f/2", "PUT f/3");
      // Responses whose events were all filtered out are not sent at all.
      assertThat(deletesOnly.responses.stream().filter(r -> !r.isProgressNotify())).isEmpty();
    }
  }

  @Test
  void progressNotifyReportsTheCurrentRevisionToAnIdleWatcher() throws Exception {
    Recorder rec = new Recorder();
    try (Watch.Watcher w =
        watch.watch(bs("idle"), WatchOption.builder().withProgressNotify(true).build(), rec)) {
      WatchResponse progress = rec.next(WatchResponse::isProgressNotify);
      assertThat(progress.getEvents()).isEmpty();
      assertThat(progress.getHeader().getRevision()).isGreaterThanOrEqualTo(1);
      long rev = put("unrelated-" + System.nanoTime(), "x");
      WatchResponse later =
          rec.next(r -> r.isProgressNotify() && r.getHeader().getRevision() >= rev);
      assertThat(later.getHeader().getRevision()).isEqualTo(currentRevision());
    }
  }

  @Test
  void requestProgressAnswersWithTheCurrentRevision() throws Exception {
    Recorder rec = new Recorder();
    try (Watch.Watcher w = watch.watch(bs("rp"), WatchOption.builder().build(), rec)) {
      long rev = put("rp-other", "x");
      // The watcher may not be registered yet when the first request arrives: ask until it answers.
      WatchResponse progress = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
      while (progress == null && System.nanoTime() < deadline) {
        w.requestProgress();
        progress = rec.responses.poll(200, TimeUnit.MILLISECONDS);
      }
      assertThat(progress).isNotNull();
      assertThat(progress.isProgressNotify()).isTrue();
      assertThat(progress.getHeader().getRevision()).isGreaterThanOrEqualTo(rev);
    }
  }

  @Test
  void watchFromACompactedRevisionIsCanceledWithTheCompactRevision() throws Exception {
    long first = put("c", "1");
    put("c", "2");
    long last = put("c", "3");
    kv.compact(last, CompactOption.newBuilder().withCompactPhysical(true).build())
        .get(WAIT_S, TimeUnit.SECONDS);
    Recorder rec = new Recorder();
    try (Watch.Watcher w =
        watch.watch(bs("c"), WatchOption.builder().withRevision(first).build(), rec)) {
      Throwable error = rec.error.get(WAIT_S, TimeUnit.SECONDS);
      assertThat(error).isInstanceOf(CompactedException.class);
      assertThat(((CompactedException) error).getCompactedRevision()).isEqualTo(last);
      assertThat(rec.responses.stream().flatMap(r -> r.getEvents().stream())).isEmpty();
    }
    // From the compacted revision itself the history is still there.
    Recorder ok = new Recorder();
    try (Watch.Watcher w =
        watch.watch(bs("c"), WatchOption.builder().withRevision(last).build(), ok)) {
      assertThat(str(ok.events(1).get(0).getKeyValue().getValue())).isEqualTo("3");
    }
  }
}
