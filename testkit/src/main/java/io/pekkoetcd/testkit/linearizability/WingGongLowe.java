package io.pekkoetcd.testkit.linearizability;

import io.pekkoetcd.testkit.linearizability.Operation.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Wing and Gong's linearizability search with Lowe's memoisation, over the operations of one key
 * and the {@link KvModel}. The history is a list of invocation and completion entries in time
 * order; the search repeatedly picks an operation whose invocation comes before the first
 * completion still in the list, steps the model with it and removes both its entries; when the
 * first entry is a completion it backtracks. A (set of linearized operations, model state) pair
 * seen before is never explored again, which makes the search polynomial in practice.
 *
 * <p>Operations with an UNKNOWN outcome complete "at infinity": their completions are at the end,
 * so they may be linearized anywhere after their invocation; and once the first completion left is
 * one of theirs, every answered operation has been linearized, which is success (the unknown ones
 * left never took effect). Equal times count as overlapping.
 */
final class WingGongLowe {
  /** How the search ended; on failure, how far it got. */
  record Result(
      Verdict verdict, int deepest, KeyState stateAtDeepest, Operation blockedAtDeepest) {}

  enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The deadline passed first: nothing is known. */
    UNDECIDED
  }

  private static final class Entry {
    final int op;
    final boolean invocation;
    final long time;
    Entry match;
    Entry prev;
    Entry next;

    Entry(int op, boolean invocation, long time) {
      this.op = op;
      this.invocation = invocation;
      this.time = time;
    }
  }

  private record Frame(Entry entry, KeyState state) {}

  private record Seen(BitSet linearized, KeyState state) {}

  private WingGongLowe() {}

  /**
   * Searches a linearization of {@code ops} (one key's; FAIL ones left out) until {@code
   * deadlineNanos}.
   */
  static Result search(List<Operation> ops, long deadlineNanos) {
    Entry head = list(ops);
    BitSet linearized = new BitSet(ops.size());
    Set<Seen> seen = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    KeyState state = KeyState.ABSENT;
    Result deepest = new Result(Verdict.NOT_LINEARIZABLE, 0, state, null);
    long steps = 0;
    Entry entry = head.next;
    while (head.next != null) {
      if ((++steps & 0xfff) == 0 && System.nanoTime() > deadlineNanos) {
        return new Result(Verdict.UNDECIDED, deepest.deepest(), deepest.stateAtDeepest(), null);
      }
      Operation op = ops.get(entry.op);
      if (entry.invocation) {
        KeyState next = KvModel.step(state, op.input(), op.output());
        if (next != null) {
          BitSet withOp = (BitSet) linearized.clone();
          withOp.set(entry.op);
          if (seen.add(new Seen(withOp, next))) {
            stack.push(new Frame(entry, state));
            state = next;
            linearized.set(entry.op);
            lift(entry);
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        if (op.outcome() == Outcome.UNKNOWN) {
          return new Result(Verdict.LINEARIZABLE, stack.size(), state, null);
        }
        if (stack.size() >= deepest.deepest()) {
          deepest = new Result(Verdict.NOT_LINEARIZABLE, stack.size(), state, op);
        }
        if (stack.isEmpty()) {
          return deepest;
        }
        Frame f = stack.pop();
        state = f.state();
        linearized.clear(f.entry().op);
        unlift(f.entry());
        entry = f.entry().next;
      }
    }
    return new Result(Verdict.LINEARIZABLE, stack.size(), state, null);
  }

  /** The entries of {@code ops} in time order behind a sentinel head; invocations first on ties. */
  private static Entry list(List<Operation> ops) {
    List<Entry> entries = new ArrayList<>(2 * ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Entry call = new Entry(i, true, ops.get(i).invoked());
      Entry ret = new Entry(i, false, ops.get(i).completed());
      call.match = ret;
      entries.add(call);
      entries.add(ret);
    }
    entries.sort(
        Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> e.invocation ? 0 : 1));
    Entry head = new Entry(-1, false, Long.MIN_VALUE);
    Entry last = head;
    for (Entry e : entries) {
      last.next = e;
      e.prev = last;
      last = e;
    }
    return head;
  }

  /** Takes an operation (its invocation and completion) out of the list. */
  private static void lift(Entry call) {
    call.prev.next = call.next;
    if (call.next != null) {
      call.next.prev = call.prev;
    }
    Entry ret = call.match;
    ret.prev.next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  /** Puts back what {@link #lift} took out (in the reverse order of lifting). */
  private static void unlift(Entry call) {
    Entry ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    call.prev.next = call;
    if (call.next != null) {
      call.next.prev = call;
    }
  }
}
