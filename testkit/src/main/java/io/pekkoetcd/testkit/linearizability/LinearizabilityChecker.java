package io.pekkoetcd.testkit.linearizability;

import io.pekkoetcd.testkit.linearizability.Operation.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a recorded history against the etcd KV model: per key, a Wing–Gong/Lowe search ({@link
 * WingGongLowe}, {@link KvModel}); across keys, the order of revisions ({@link RevisionOrder}).
 * Operations that failed are left out; those with unknown outcome may have taken effect or not.
 *
 * <p>The per-key decomposition is exact for the values, versions and per-key revisions (every
 * operation touches one key, and linearizability is compositional — Herlihy and Wing's locality).
 * The one cross-key object, the store's revision counter, is checked by {@link RevisionOrder}
 * against real time only: together they are necessary conditions of a linearizable etcd history,
 * which catch stale reads, lost writes and reordered revisions, but a history whose per-key
 * linearizations disagree on a global revision order they both satisfy separately is accepted.
 */
public final class LinearizabilityChecker {
  private static final int MAX_OPS_SHOWN = 40;

  /** What the check found, and what it cost. */
  public record Report(
      List<String> violations, int keys, int operations, boolean undecided, Duration took) {
    public boolean linearizable() {
      return violations.isEmpty();
    }

    @Override
    public String toString() {
      return (linearizable() ? "linearizable" : (undecided ? "undecided" : "NOT linearizable"))
          + ": "
          + operations
          + " operations on "
          + keys
          + " keys checked in "
          + took.toMillis()
          + " ms"
          + (violations.isEmpty() ? "" : "\n  " + String.join("\n  ", violations));
    }
  }

  private LinearizabilityChecker() {}

  /**
   * Checks {@code operations} within {@code budget}; a key whose search is not decided in time is a
   * violation (an undecided check proves nothing).
   */
  public static Report check(List<Operation> operations, Duration budget) {
    long started = System.nanoTime();
    long deadline = started + budget.toNanos();
    List<String> violations = new ArrayList<>(RevisionOrder.violations(operations, 10));
    Map<String, List<Operation>> byKey = new TreeMap<>();
    int checked = 0;
    for (Operation o : operations) {
      if (o.outcome() != Outcome.FAIL) {
        byKey.computeIfAbsent(o.input().key(), k -> new ArrayList<>()).add(o);
        checked++;
      }
    }
    boolean undecided = false;
    for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
      WingGongLowe.Result r = WingGongLowe.search(e.getValue(), deadline);
      switch (r.verdict()) {
        case LINEARIZABLE -> {}
        case UNDECIDED -> {
          undecided = true;
          violations.add(
              "key "
                  + e.getKey()
                  + ": undecided within "
                  + budget
                  + " ("
                  + e.getValue().size()
                  + " operations, deepest linearization "
                  + r.deepest()
                  + ")");
        }
        case NOT_LINEARIZABLE -> violations.add(describe(e.getKey(), e.getValue(), r));
      }
    }
    return new Report(
        violations,
        byKey.size(),
        checked,
        undecided,
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static String describe(String key, List<Operation> ops, WingGongLowe.Result r) {
    StringBuilder b = new StringBuilder();
    b.append("key ")
        .append(key)
        .append(": not linearizable; the longest linearization (")
        .append(r.deepest())
        .append(" of ")
        .append(ops.size())
        .append(" operations) ends in ")
        .append(r.stateAtDeepest())
        .append(", where no order fits ")
        .append(r.blockedAtDeepest())
        .append("\n    the key's operations by invocation:");
    List<Operation> sorted = new ArrayList<>(ops);
    sorted.sort(Comparator.comparingLong(Operation::invoked));
    int from = 0;
    if (r.blockedAtDeepest() != null && sorted.size() > MAX_OPS_SHOWN) {
      int at = sorted.indexOf(r.blockedAtDeepest());
      from = Math.max(0, Math.min(at - MAX_OPS_SHOWN / 2, sorted.size() - MAX_OPS_SHOWN));
    }
    for (Operation o : sorted.subList(from, Math.min(sorted.size(), from + MAX_OPS_SHOWN))) {
      b.append("\n      ").append(o);
    }
    return b.toString();
  }
}
