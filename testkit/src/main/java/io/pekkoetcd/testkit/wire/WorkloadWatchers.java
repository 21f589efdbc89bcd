package io.pekkoetcd.testkit.wire;

import static io.pekkoetcd.testkit.wire.WatchWorkload.KEYS;
import static io.pekkoetcd.testkit.wire.WatchWorkload.STALLED;
import static io.pekkoetcd.testkit.wire.WatchWorkload.WATCHERS;
import static io.pekkoetcd.testkit.wire.WatchWorkload.bs;
import static io.pekkoetcd.testkit.wire.WatchWorkload.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.testkit.watch.WatchChecker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The {@link WatchWorkload}'s watcher side: {@link WatchWorkload#WATCHERS} watch streams, each with
 * a create request chosen by its index (range, filters, prev_kv), the keys it matches, the member
 * it runs on and the event responses it received on streams it was moved off. Opens them (the
 * stalled one over the slow channel, reading one response at a time), resumes a stopped member's
 * watchers on another member, and at the end reads each through the last revision and checks the
 * concatenation against the checker's history.
 */
final class WorkloadWatchers {
  /**
   * One watcher: its create request, the keys it matches, where it runs, what it received on
   * earlier streams.
   */
  private static final class Watch {
    final int index;
    final WatchCreateRequest request;
    final Predicate<ByteString> keys;
    final long start;
    final List<WatchResponse> earlier = new ArrayList<>();
    int member;
    WireWatchStream stream;

    Watch(
        int index,
        WatchCreateRequest request,
        Predicate<ByteString> keys,
        long start,
        int member,
        WireWatchStream s) {
      this.index = index;
      this.request = request;
      this.keys = keys;
      this.start = start;
      this.member = member;
      this.stream = s;
    }
  }

  private final WorkloadMembers members;
  private final WatchChecker checker;
  private final int stalledMember;
  private final Map<Integer, Watch> watches = new LinkedHashMap<>();
  private final List<Integer> late = new ArrayList<>();

  WorkloadWatchers(WorkloadMembers members, WatchChecker checker, int stalledMember) {
    this.members = members;
    this.checker = checker;
    this.stalledMember = stalledMember;
  }

  /**
   * Open the watchers that start before the writes (every 7th from the 4th is left for {@link
   * #openLate}); the first revision they watch from.
   */
  long openInitial() throws InterruptedException {
    for (int i = 0; i < WATCHERS; i++) {
      if (i % 7 == 3) {
        late.add(i);
      } else {
        open(i, i == STALLED ? stalledMember : i % members.size(), 0);
      }
    }
    return watches.values().iterator().next().start;
  }

  /** Open the late watchers from a revision already written, drawn from {@code random}. */
  void openLate(Random random) throws InterruptedException {
    for (int i : late) {
      long from = Math.max(1, checker.lastRevision() - random.nextInt(100));
      open(i, members.upMember(i), from);
    }
  }

  /**
   * Move the watchers on stopped member {@code m} to a member that is up, each from the revision
   * after the last event it received; how many were moved.
   */
  int resume(int m) throws Exception {
    int resumed = 0;
    for (Watch w : watches.values()) {
      if (w.member != m) {
        continue;
      }
      w.stream.close();
      w.stream.ended.get(30, TimeUnit.SECONDS);
      long next = w.start;
      for (WatchResponse r : w.stream.responses) {
        if (r.getEventsCount() > 0) {
          w.earlier.add(r);
          next = Math.max(next, r.getEvents(r.getEventsCount() - 1).getKv().getModRevision() + 1);
        } else if (r.getCanceled()) {
          throw new AssertionError(
              "watcher " + w.index + " canceled before its member stopped: " + r);
        }
      }
      w.member = members.upMember(w.index);
      w.stream = new WireWatchStream(members.channel(w.member), false);
      w.stream.send(
          WatchRequest.newBuilder()
              .setCreateRequest(w.request.toBuilder().setStartRevision(next))
              .build());
      assertThat(w.stream.next().getCreated())
          .as("watcher %d resumed on m%d", w.index, w.member)
          .isTrue();
      resumed++;
    }
    return resumed;
  }

  /** Let the stalled watcher read again (harmless if it was resumed elsewhere). */
  void releaseStalled() {
    watches.get(STALLED).stream.request(Integer.MAX_VALUE);
  }

  /**
   * Read every watcher through revision {@code last}, check what it received, and close it; the
   * violations, each naming its watcher.
   */
  List<String> check(long last) throws InterruptedException {
    List<String> violations = new ArrayList<>();
    for (Watch w : watches.values()) {
      List<WatchResponse> events = new ArrayList<>(w.earlier);
      events.addAll(readThrough(w.stream, last));
      WatchCreateRequest r = w.request;
      WatchChecker.Spec spec =
          new WatchChecker.Spec(
              w.keys,
              w.start,
              r.getPrevKv(),
              r.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT),
              r.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE));
      for (String v : checker.check(spec, events, last)) {
        violations.add(
            "watcher "
                + w.index
                + " on m"
                + w.member
                + " ("
                + r.toString().replace('\n', ' ')
                + "): "
                + v);
      }
      w.stream.close();
    }
    return violations;
  }

  private void open(int i, int member, long startRevision) throws InterruptedException {
    boolean stalled = i == STALLED;
    WireWatchStream s =
        new WireWatchStream(stalled ? members.slowChannel() : members.channel(member), stalled);
    if (stalled) {
      s.request(1);
    }
    WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder().setStartRevision(startRevision);
    Predicate<ByteString> keys;
    Comparator<ByteString> cmp = ByteString.unsignedLexicographicalComparator();
    switch (stalled ? 0 : i % 4) {
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
    s.send(WatchRequest.newBuilder().setCreateRequest(request).build());
    WatchResponse created = s.next();
    assertThat(created.getCreated()).isTrue();
    assertThat(created.getCanceled()).isFalse();
    long start = startRevision == 0 ? created.getHeader().getRevision() + 1 : startRevision;
    watches.put(i, new Watch(i, request, keys, start, member, s));
  }

  /**
   * The event responses of {@code s} until a progress answer says it has everything through {@code
   * revision} (progress requests are repeated until one is answered: they are answered only once
   * all watchers are synced).
   */
  private static List<WatchResponse> readThrough(WireWatchStream s, long revision)
      throws InterruptedException {
    List<WatchResponse> events = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      s.progress();
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
      WatchResponse r;
      while ((r = s.responses.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS))
          != null) {
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
