package io.pekkoetcd.multijvm.workload;

import io.pekkoetcd.multijvm.harness.Firewall;
import io.pekkoetcd.multijvm.harness.MemberCluster;
import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.linearizability.History;
import io.pekkoetcd.testkit.linearizability.KvInput;
import io.pekkoetcd.testkit.linearizability.KvOutput;
import io.pekkoetcd.testkit.linearizability.LinearizabilityChecker;
import io.pekkoetcd.testkit.linearizability.Operation;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One scenario from start to verdict: opens the {@link Firewall} (root, a flushed chain), starts a
 * {@link MemberCluster}, runs {@link KvClients} until they have a few answers, then lets the test
 * inject its faults ({@link #fault}, {@link #hold}, {@link #heal}); {@link #finish} lets the
 * clients run on after the heal, stops them, reads every key through every member, and checks: the
 * members converge (same HashKV at the same revision), no acknowledged write is lost, the history
 * is linearizable, and the {@link Watchers} (one per member, from revision 1, resumed after kills)
 * received exactly the written history by etcd's watch guarantees. {@link #close} stops the clients
 * and every member and removes the firewall chain, whatever happened.
 */
public final class ScenarioRun implements AutoCloseable {
  /** Concurrent clients, spread over the members; keys they share. */
  public static final int CLIENTS = 6;

  public static final int KEYS = 5;

  /** Far above what a client runs in a scenario (a few hundred per second): a bound, not a goal. */
  private static final int MAX_OPS_PER_CLIENT = 20_000;

  /** A fault (or its healing) to run. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  private final String name;
  private final Firewall firewall;
  private final MemberCluster cluster;
  private final History history = new History();
  private final KvClients clients;
  private final Watchers watchers;
  private final long started = System.nanoTime();
  private final List<String> faults = new ArrayList<>();
  private long firstFault;
  private long lastHeal;
  private double healToService = Double.NaN;

  private ScenarioRun(
      String name, Firewall firewall, MemberCluster cluster, int readPercent, long seed) {
    this.name = name;
    this.firewall = firewall;
    this.cluster = cluster;
    this.clients =
        new KvClients(cluster, history, CLIENTS, KEYS, MAX_OPS_PER_CLIENT, readPercent, seed);
    this.watchers = new Watchers(cluster);
  }

  /**
   * Starts {@code members} members and the clients (35 % reads); returns once the clients have 30
   * answers.
   */
  public static ScenarioRun start(String name, int members) throws Exception {
    return start(name, members, Map.of(), 35);
  }

  /**
   * Starts {@code members} members with {@code environment} (e.g. a failpoint) and the clients with
   * {@code readPercent} % reads; returns once the clients have 30 answers.
   */
  public static ScenarioRun start(
      String name, int members, Map<String, String> environment, int readPercent) throws Exception {
    long seed = Long.getLong("mjvm.seed", System.nanoTime());
    System.out.println("multi-jvm scenario " + name + " seed=" + seed);
    Firewall firewall = Firewall.open();
    MemberCluster cluster;
    try {
      cluster = MemberCluster.start(name, members, environment);
    } catch (Exception | AssertionError e) {
      firewall.close();
      throw e;
    }
    ScenarioRun run = new ScenarioRun(name, firewall, cluster, readPercent, seed);
    try {
      run.watchers.start();
      run.clients.start();
      run.awaitAnswers(30, run.started, Duration.ofSeconds(30));
    } catch (Exception | AssertionError e) {
      run.close();
      throw e;
    }
    return run;
  }

  public MemberCluster cluster() {
    return cluster;
  }

  public Firewall firewall() {
    return firewall;
  }

  /**
   * Injects a fault; the first one starts the "fault to first write" clock once it is in place (all
   * its rules installed, the process gone).
   */
  public void fault(String description, Step step) throws Exception {
    faults.add(description);
    step.run();
    if (firstFault == 0) {
      firstFault = System.nanoTime();
    }
  }

  /**
   * Keeps the faults as they are for {@code duration}: the fault's length, not a wait for a state.
   */
  public void hold(Duration duration) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(duration.toNanos());
  }

  /**
   * Heals ({@code step}), then polls until every member serves a linearizable read again; the time
   * that took is reported.
   */
  public void heal(Step step) throws Exception {
    step.run();
    lastHeal = System.nanoTime();
    cluster.awaitHealthy(Duration.ofSeconds(60));
    healToService = (System.nanoTime() - lastHeal) / 1e9;
  }

  /**
   * Lets the clients reach 100 answers after the last heal, stops them, reads every key through
   * every member, checks everything and returns the report (also printed and appended to {@code
   * target/multi-jvm/summary.txt}).
   */
  public ScenarioReport finish() throws Exception {
    awaitAnswers(100, lastHeal == 0 ? started : lastHeal, Duration.ofSeconds(60));
    clients.stop();
    finalReads();
    long converged = cluster.awaitConverged(Duration.ofSeconds(60));
    List<Operation> ops = history.operations();
    List<String> lost = AcknowledgedWrites.missing(cluster.channel(0), ops);
    List<String> staleSnapshots = clients.serializableReads().mismatches(cluster.channel(0));
    watchers.awaitRevision(converged, Duration.ofSeconds(60));
    WrittenHistory.Result written = WrittenHistory.of(ops, cluster.channel(0), converged);
    List<String> watchViolations =
        written.problems().isEmpty()
            ? watchers.violations(written.checker(), converged)
            : written.problems();
    LinearizabilityChecker.Report check = LinearizabilityChecker.check(ops, Duration.ofSeconds(60));
    ScenarioReport report =
        new ScenarioReport(
            name,
            history.counts(),
            List.copyOf(faults),
            firstWriteAfterFault(ops),
            healToService,
            converged,
            lost,
            check,
            clients.serializableReads().size(),
            staleSnapshots,
            watchViolations,
            watchers.events(),
            watchers.streams(),
            clients.errors(),
            (System.nanoTime() - started) / 1e9);
    System.out.println("MULTI-JVM REPORT " + report.line());
    if (!check.linearizable()) {
      System.out.println(check);
    }
    lost.forEach(l -> System.out.println("lost: " + l));
    staleSnapshots.stream().limit(20).forEach(v -> System.out.println("serializable read: " + v));
    watchViolations.stream().limit(20).forEach(v -> System.out.println("watch: " + v));
    Files.writeString(
        cluster.directory().resolveSibling("summary.txt"),
        report.line() + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return report;
  }

  /** What {@link #probeReads} saw. */
  public record ProbeResult(int ok, int failed) {}

  /**
   * Linearizable gets through member {@code member} only, one after another for {@code duration}
   * (each with a one-second deadline; 50 ms backoff after a failure), recorded in the history as a
   * client of their own: what that member answers during a fault (e.g. just restarted inside a
   * partition). Also holds the faults for that long.
   */
  public ProbeResult probeReads(int member, Duration duration) throws InterruptedException {
    return probeReads(member, duration, Integer.MAX_VALUE);
  }

  /**
   * As {@link #probeReads(int, Duration)}, but ends early once {@code untilOk} reads were answered
   * (e.g. a restarted member serves again).
   */
  public ProbeResult probeReads(int member, Duration duration, int untilOk)
      throws InterruptedException {
    int ok = 0;
    int failed = 0;
    int prober = 2_000 + member;
    long end = System.nanoTime() + duration.toNanos();
    for (int i = 0; System.nanoTime() < end && ok < untilOk; i++) {
      KvInput get = new KvInput.Get(clients.keys().get(i % KEYS));
      int id = history.invoke(prober, get);
      try {
        history.ok(id, KvCalls.call(cluster.channel(member), get, 1_000));
        ok++;
      } catch (io.grpc.StatusRuntimeException e) {
        history.fail(id);
        failed++;
        TimeUnit.MILLISECONDS.sleep(50); // backoff: load shaping, not synchronisation
      }
    }
    return new ProbeResult(ok, failed);
  }

  /** A linearizable get of every key through every member, recorded as clients of their own. */
  private void finalReads() {
    int reader = 1_000;
    for (int m = 0; m < cluster.size(); m++, reader++) {
      for (String key : clients.keys()) {
        KvInput get = new KvInput.Get(key);
        int id = history.invoke(reader, get);
        try {
          KvOutput out = KvCalls.call(cluster.channel(m), get, 10_000);
          history.ok(id, out);
        } catch (io.grpc.StatusRuntimeException e) {
          history.fail(id);
        }
      }
    }
  }

  private double firstWriteAfterFault(List<Operation> ops) {
    if (firstFault == 0) {
      return Double.NaN;
    }
    return ops.stream()
        .filter(o -> o.outcome() == Operation.Outcome.OK && o.output().isWrite())
        .filter(o -> o.invoked() >= firstFault)
        .mapToLong(Operation::completed)
        .min()
        .stream()
        .mapToDouble(t -> (t - firstFault) / 1e9)
        .findFirst()
        .orElse(Double.NaN);
  }

  /**
   * Polls until {@code count} operations invoked since {@code since} were answered, or every client
   * has used up its bound.
   */
  private void awaitAnswers(int count, long since, Duration timeout) throws Exception {
    Poll.until(
        timeout,
        () -> count + " answered operations since the start or last heal; " + history.counts(),
        () ->
            clients.done()
                || history.operations().stream()
                        .filter(o -> o.outcome() == Operation.Outcome.OK && o.invoked() >= since)
                        .count()
                    >= count);
  }

  @Override
  public void close() throws Exception {
    try {
      clients.stop();
      watchers.close();
    } finally {
      try {
        cluster.close();
      } finally {
        firewall.close();
      }
    }
  }
}
