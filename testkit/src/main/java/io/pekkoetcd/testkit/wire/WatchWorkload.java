package io.pekkoetcd.testkit.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.watch.WatchChecker;
import io.pekkoetcd.testkit.watch.WatchChecker.Change;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Predicate;

/**
 * The seeded workload behind the watch-guarantee tests, over one member or several: writers put,
 * delete and run two-key txns through the members in turn (skipping stopped ones); watch streams
 * with different ranges, filters, prev_kv and start revisions are spread over the members, some
 * created mid-workload from a past revision, one of them (on {@code stalledMember}, over a
 * connection with a 64 KiB window) not reading until the writers are done.
 *
 * <p>A member can be stopped mid-workload ({@link #stopMember}): writers stop using it first (so no
 * write through it is left undecided), and its watchers resume on another member from the revision
 * after the last event they got — the checker then checks the concatenation, i.e. resumability
 * across members. Writes whose outcome a writer did not learn are resolved from the store (a Range
 * at the revision and the one before) before checking.
 */
public final class WatchWorkload implements AutoCloseable {
  public static final int WATCHERS = 100;
  public static final int STALLED = 42;
  public static final int WRITERS = 3;
  public static final int KEYS = 20;
  public static final String VALUE = "v".repeat(3 * 1024);

  /** How to reach member {@code m}'s client port. */
  public interface Members {
    int size();

    int port(int m);
  }

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

  /** A write whose outcome its writer did not learn. */
  private record Undecided(List<Change> changes, io.grpc.Status status) {}

  public final long seed;
  private final Random random;
  private final Members members;
  private final int opsPerWriter;
  private final int stalledMember;
  private final WatchChecker checker = new WatchChecker();
  private final ManagedChannel[] channels;
  private final ManagedChannel slowChannel;
  private final boolean[] down;
  private final boolean[] draining;
  private final AtomicIntegerArray inFlight;
  private final Map<Integer, Watch> watches = new LinkedHashMap<>();
  private final List<Integer> late = new ArrayList<>();
  private final List<Undecided> undecided = new CopyOnWriteArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
  private final List<Future<?>> writers = new ArrayList<>();
  private long firstRevision;

  public WatchWorkload(long seed, Members members, int opsPerWriter, int stalledMember) {
    this.seed = seed;
    this.random = new Random(seed);
    this.members = members;
    this.opsPerWriter = opsPerWriter;
    this.stalledMember = stalledMember;
    int n = members.size();
    this.channels = new ManagedChannel[n];
    this.down = new boolean[n];
    this.draining = new boolean[n];
    this.inFlight = new AtomicIntegerArray(n);
    for (int m = 0; m < n; m++) {
      channels[m] =
          io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", members.port(m))
              .usePlaintext()
              .maxInboundMessageSize(64 << 20)
              .build();
    }
    slowChannel =
        io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", members.port(stalledMember))
            .usePlaintext()
            .flowControlWindow(64 * 1024)
            .maxInboundMessageSize(64 << 20)
            .build();
  }

  public static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  public static String key(int i) {
    return String.format("k/%02d", i);
  }

  /**
   * Open the watchers that start before the writes (every 7th from the 4th is left for {@link
   * #openLate}).
   */
  public void openInitial() throws InterruptedException {
    for (int i = 0; i < WATCHERS; i++) {
      if (i % 7 == 3) {
        late.add(i);
      } else {
        open(i, i == STALLED ? stalledMember : i % members.size(), 0);
      }
    }
    firstRevision = watches.values().iterator().next().start;
  }

  public void startWriters() {
    for (int w = 0; w < WRITERS; w++) {
      long writerSeed = random.nextLong();
      int writer = w;
      writers.add(pool.submit(() -> write(writer, new Random(writerSeed))));
    }
  }

  /**
   * Wait until the writers have recorded {@code fraction} of their writes (or are done), polling.
   */
  public void awaitWritten(double fraction) throws InterruptedException {
    long target = (long) (WRITERS * opsPerWriter * fraction);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (checker.lastRevision() - firstRevision < target
        && writers.stream().anyMatch(f -> !f.isDone())
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10); // polling interval between checks of the condition
    }
  }

  /** Open the late watchers from a revision already written: they replay, then follow. */
  public void openLate() throws InterruptedException {
    for (int i : late) {
      long from = Math.max(1, checker.lastRevision() - random.nextInt(100));
      open(i, upMember(i), from);
    }
  }

  /**
   * Stop member {@code m} with {@code stop} once no write through it is in flight (writers avoid it
   * from now on), then resume its watchers on the other members from the revision after the last
   * event each received.
   */
  public int stopMember(int m, ThrowingRunnable stop) throws Exception {
    draining[m] = true;
    Poll.until(
        java.time.Duration.ofSeconds(60),
        "writes through m" + m + " done",
        () -> inFlight.get(m) == 0);
    stop.run();
    down[m] = true;
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
      w.member = upMember(w.index);
      w.stream = new WireWatchStream(channels[w.member], false);
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

  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * Wait for the writers, let the stalled watcher read again, read every watcher through the last
   * revision and check it; the violations, each naming its watcher (empty if none).
   */
  public List<String> finishAndCheck() throws Exception {
    for (Future<?> f : writers) {
      f.get(120, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long last =
        Math.max(
            checker.lastRevision(),
            range(
                    RangeRequest.newBuilder().setKey(bs("k/")).setRangeEnd(bs("k0")).build(),
                    deadline)
                .getHeader()
                .getRevision());
    int undecidedWrites = undecided.size();
    undecided.forEach(u -> System.out.println("undecided write: " + u.status()));
    List<String> violations = new ArrayList<>(resolveUndecided(last, deadline));
    System.out.printf(
        "watch workload: %d revisions from %d to %d, %d writes undecided (%d of them applied)%n",
        last - firstRevision + 1,
        firstRevision,
        last,
        undecidedWrites,
        undecidedWrites - undecided.size());
    watches
        .get(STALLED)
        .stream
        .request(Integer.MAX_VALUE); // reads again (harmless if it was resumed elsewhere)
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

  /** A member that is up, chosen by {@code i}. */
  private int upMember(int i) {
    int n = members.size();
    for (int k = 0; k < n; k++) {
      int m = (i + k) % n;
      if (!down[m] && !draining[m]) {
        return m;
      }
    }
    throw new IllegalStateException("no member up");
  }

  private void open(int i, int member, long startRevision) throws InterruptedException {
    boolean stalled = i == STALLED;
    WireWatchStream s = new WireWatchStream(stalled ? slowChannel : channels[member], stalled);
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

  private void write(int writer, Random random) {
    for (int op = 0; op < opsPerWriter; op++) {
      int m = acquireMember(writer + op);
      KVGrpc.KVBlockingStub stub =
          KVGrpc.newBlockingStub(channels[m]).withDeadlineAfter(30, TimeUnit.SECONDS);
      int choice = random.nextInt(10);
      String tag = writer + "/" + op;
      List<Change> changes;
      try {
        if (choice < 6) {
          ByteString k = bs(key(random.nextInt(KEYS)));
          ByteString v = bs(VALUE + tag);
          changes = List.of(Change.put(k, v));
          try {
            long rev =
                stub.put(PutRequest.newBuilder().setKey(k).setValue(v).build())
                    .getHeader()
                    .getRevision();
            checker.record(rev, changes);
          } catch (StatusRuntimeException e) {
            undecided.add(new Undecided(changes, e.getStatus()));
          }
        } else if (choice < 8) {
          ByteString k = bs(key(random.nextInt(KEYS)));
          changes = List.of(Change.delete(k));
          try {
            var r = stub.deleteRange(DeleteRangeRequest.newBuilder().setKey(k).build());
            if (r.getDeleted() > 0) {
              checker.record(r.getHeader().getRevision(), changes);
            }
          } catch (StatusRuntimeException e) {
            undecided.add(new Undecided(changes, e.getStatus()));
          }
        } else {
          int a = random.nextInt(KEYS);
          int b = (a + 1 + random.nextInt(KEYS - 1)) % KEYS;
          ByteString ka = bs(key(a));
          ByteString kb = bs(key(b));
          ByteString v = bs("txn" + tag);
          changes = List.of(Change.put(ka, v), Change.put(kb, v));
          TxnRequest txn =
              TxnRequest.newBuilder()
                  .addSuccess(
                      RequestOp.newBuilder()
                          .setRequestPut(PutRequest.newBuilder().setKey(ka).setValue(v)))
                  .addSuccess(
                      RequestOp.newBuilder()
                          .setRequestPut(PutRequest.newBuilder().setKey(kb).setValue(v)))
                  .build();
          try {
            checker.record(stub.txn(txn).getHeader().getRevision(), changes);
          } catch (StatusRuntimeException e) {
            undecided.add(new Undecided(changes, e.getStatus()));
          }
        }
      } finally {
        inFlight.decrementAndGet(m);
      }
    }
  }

  /**
   * A member to write through, counted in flight before it is checked, so that {@link #stopMember}
   * can drain it.
   */
  private int acquireMember(int i) {
    while (true) {
      int m = upMember(i);
      inFlight.incrementAndGet(m);
      if (!draining[m] && !down[m]) {
        return m;
      }
      inFlight.decrementAndGet(m);
    }
  }

  /**
   * Fill the history's holes up to {@code last} with the undecided writes that made them, found by
   * what changed in the store at each such revision; a hole no undecided write explains is a
   * violation.
   */
  private List<String> resolveUndecided(long last, long deadline) throws InterruptedException {
    List<String> violations = new ArrayList<>();
    for (long rev : checker.holes(firstRevision, last)) {
      Map<ByteString, KeyValue> before = snapshot(rev - 1, deadline);
      Map<ByteString, KeyValue> after = snapshot(rev, deadline);
      Set<Change> changed = new HashSet<>();
      after.forEach(
          (k, v) -> {
            if (v.getModRevision() == rev) {
              changed.add(Change.put(k, v.getValue()));
            }
          });
      before.keySet().stream()
          .filter(k -> !after.containsKey(k))
          .forEach(k -> changed.add(Change.delete(k)));
      Undecided match =
          undecided.stream()
              .filter(u -> new HashSet<>(u.changes()).equals(changed))
              .findFirst()
              .orElse(null);
      if (match == null) {
        violations.add("revision " + rev + " was written by no writer: " + changed);
      } else {
        undecided.remove(match);
        checker.record(rev, match.changes());
      }
    }
    return violations;
  }

  private Map<ByteString, KeyValue> snapshot(long rev, long deadline) throws InterruptedException {
    Map<ByteString, KeyValue> out = new HashMap<>();
    for (KeyValue x :
        range(
                RangeRequest.newBuilder()
                    .setKey(bs("k/"))
                    .setRangeEnd(bs("k0"))
                    .setRevision(rev)
                    .build(),
                deadline)
            .getKvsList()) {
      out.put(x.getKey(), x);
    }
    return out;
  }

  /**
   * A linearizable Range through a member that is up, retried on UNAVAILABLE (e.g. "etcdserver:
   * leader changed" when the ReadIndex's leader was deposed under load) through the next member up,
   * until {@code deadline} ({@link System#nanoTime}); see {@link RetryUnavailable}. A retried read
   * is as strong as the first: each attempt is a fresh linearizable read.
   */
  private RangeResponse range(RangeRequest request, long deadline) throws InterruptedException {
    return RetryUnavailable.until(
        deadline,
        (attempt, nanosLeft) ->
            KVGrpc.newBlockingStub(channels[upMember(attempt)])
                .withDeadlineAfter(nanosLeft, TimeUnit.NANOSECONDS)
                .range(request));
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

  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    slowChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
