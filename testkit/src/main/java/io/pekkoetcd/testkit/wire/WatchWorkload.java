package io.pekkoetcd.testkit.wire;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.RangeRequest;
import io.pekkoetcd.testkit.watch.WatchChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

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
 *
 * <p>This class is the test-facing sequence and owns the seed's random source; the parts are {@link
 * WorkloadMembers} (channels, which members are usable, writes in flight), {@link WorkloadWriters},
 * {@link WorkloadWatchers} and {@link UndecidedWrites}, sharing one {@link WatchChecker} history.
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

  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  public final long seed;
  private final Random random;
  private final WatchChecker checker = new WatchChecker();
  private final WorkloadMembers members;
  private final UndecidedWrites undecided;
  private final WorkloadWriters writers;
  private final WorkloadWatchers watchers;
  private long firstRevision;

  public WatchWorkload(long seed, Members members, int opsPerWriter, int stalledMember) {
    this.seed = seed;
    this.random = new Random(seed);
    this.members = new WorkloadMembers(members, stalledMember);
    this.undecided = new UndecidedWrites(this.members, checker);
    this.writers = new WorkloadWriters(this.members, checker, undecided, opsPerWriter);
    this.watchers = new WorkloadWatchers(this.members, checker, stalledMember);
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
    firstRevision = watchers.openInitial();
  }

  public void startWriters() {
    writers.start(random);
  }

  /**
   * Wait until the writers have recorded {@code fraction} of their writes (or are done), polling.
   */
  public void awaitWritten(double fraction) throws InterruptedException {
    writers.awaitWritten(fraction, firstRevision);
  }

  /** Open the late watchers from a revision already written: they replay, then follow. */
  public void openLate() throws InterruptedException {
    watchers.openLate(random);
  }

  /**
   * Stop member {@code m} with {@code stop} once no write through it is in flight (writers avoid it
   * from now on), then resume its watchers on the other members from the revision after the last
   * event each received.
   */
  public int stopMember(int m, ThrowingRunnable stop) throws Exception {
    members.drain(m);
    stop.run();
    members.markDown(m);
    return watchers.resume(m);
  }

  /**
   * Wait for the writers, let the stalled watcher read again, read every watcher through the last
   * revision and check it; the violations, each naming its watcher (empty if none).
   */
  public List<String> finishAndCheck() throws Exception {
    writers.awaitDone();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long last =
        Math.max(
            checker.lastRevision(),
            members
                .range(
                    RangeRequest.newBuilder().setKey(bs("k/")).setRangeEnd(bs("k0")).build(),
                    deadline)
                .getHeader()
                .getRevision());
    int undecidedWrites = undecided.size();
    undecided.print();
    List<String> violations = new ArrayList<>(undecided.resolve(firstRevision, last, deadline));
    System.out.printf(
        "watch workload: %d revisions from %d to %d, %d writes undecided (%d of them applied)%n",
        last - firstRevision + 1,
        firstRevision,
        last,
        undecidedWrites,
        undecidedWrites - undecided.size());
    watchers.releaseStalled();
    violations.addAll(watchers.check(last));
    return violations;
  }

  @Override
  public void close() throws InterruptedException {
    writers.close();
    members.close();
  }
}
