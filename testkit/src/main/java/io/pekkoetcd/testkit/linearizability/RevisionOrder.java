package io.pekkoetcd.testkit.linearizability;

import io.pekkoetcd.testkit.linearizability.Operation.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cross-key half of the check: etcd's revision is one counter for the whole store, so the
 * answered revisions of a linearizable history respect real time across all keys. For every two
 * answered operations {@code a} before {@code b} (a completed before b was invoked): {@code
 * b.revision >= a.revision}, strictly when b is a write; and no two writes share a revision (every
 * operation here writes at most one key). The per-key search cannot see these, because it never
 * compares revisions of different keys.
 */
public final class RevisionOrder {
  private RevisionOrder() {}

  /** The violations among {@code operations} (only OK ones count), at most {@code limit}. */
  public static List<String> violations(List<Operation> operations, int limit) {
    List<Operation> ok =
        new ArrayList<>(operations.stream().filter(o -> o.outcome() == Outcome.OK).toList());
    List<String> out = new ArrayList<>();
    Map<Long, Operation> writers = new HashMap<>();
    for (Operation o : ok) {
      if (o.output().isWrite()) {
        Operation other = writers.putIfAbsent(o.output().revision(), o);
        if (other != null && out.size() < limit) {
          out.add("two writes at revision " + o.output().revision() + ": " + other + " and " + o);
        }
      }
    }
    // Sorted by completion: the operations that precede b are a prefix; keep its max revision.
    ok.sort(Comparator.comparingLong(Operation::completed));
    long[] completedAt = new long[ok.size()];
    Operation[] maxUpTo = new Operation[ok.size()];
    for (int i = 0; i < ok.size(); i++) {
      completedAt[i] = ok.get(i).completed();
      Operation prev = i == 0 ? null : maxUpTo[i - 1];
      Operation cur = ok.get(i);
      maxUpTo[i] = prev == null || cur.output().revision() > prev.output().revision() ? cur : prev;
    }
    for (Operation b : ok) {
      int before = countBefore(completedAt, b.invoked());
      if (before == 0) {
        continue;
      }
      Operation a = maxUpTo[before - 1];
      long need = a.output().revision();
      long got = b.output().revision();
      if (got < need || (b.output().isWrite() && got == need)) {
        if (out.size() < limit) {
          out.add(
              "revision order: "
                  + b
                  + " answered revision "
                  + got
                  + " after "
                  + a
                  + " had completed at revision "
                  + need);
        }
      }
    }
    return out;
  }

  /** How many entries of the sorted {@code completedAt} are strictly below {@code time}. */
  private static int countBefore(long[] completedAt, long time) {
    int lo = 0;
    int hi = completedAt.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (completedAt[mid] < time) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
