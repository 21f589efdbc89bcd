package io.pekkoetcd.testkit.linearizability;

import io.pekkoetcd.testkit.linearizability.Operation.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a concurrent history as clients run it: each client {@link #invoke}s one operation at a
 * time and then completes it as {@link #ok}, {@link #fail} or {@link #unknown}. Thread-safe; the
 * times are taken here ({@link System#nanoTime}), inside the recorder's lock, so that an operation
 * completed before another was invoked is recorded in that order. An operation still pending when
 * {@link #operations} is called counts as UNKNOWN.
 */
public final class History {
  private record Pending(int client, KvInput input, long invoked) {}

  /** How many operations ended each way. */
  public record Counts(int ok, int fail, int unknown) {
    @Override
    public String toString() {
      return ok + " ok / " + fail + " failed / " + unknown + " unknown";
    }
  }

  private final List<Operation> completed = new ArrayList<>();
  private final Map<Integer, Pending> pending = new HashMap<>();
  private final Map<Integer, Integer> pendingByClient = new HashMap<>();
  private int nextId;

  /**
   * Client {@code client} invokes {@code input}; returns the operation's id, to complete it with.
   *
   * @throws IllegalStateException if the client has an operation pending (clients are sequential)
   */
  public synchronized int invoke(int client, KvInput input) {
    if (pendingByClient.containsKey(client)) {
      throw new IllegalStateException(
          "client " + client + " still has #" + pendingByClient.get(client) + " pending");
    }
    int id = nextId++;
    pending.put(id, new Pending(client, input, System.nanoTime()));
    pendingByClient.put(client, id);
    return id;
  }

  /** Operation {@code id} was answered with {@code output}. */
  public synchronized void ok(int id, KvOutput output) {
    complete(id, Outcome.OK, output);
  }

  /** Operation {@code id} certainly had no effect. */
  public synchronized void fail(int id) {
    complete(id, Outcome.FAIL, null);
  }

  /** Operation {@code id} may or may not have taken effect. */
  public synchronized void unknown(int id) {
    complete(id, Outcome.UNKNOWN, null);
  }

  private void complete(int id, Outcome outcome, KvOutput output) {
    Pending p = pending.remove(id);
    if (p == null) {
      throw new IllegalStateException("#" + id + " is not pending");
    }
    pendingByClient.remove(p.client());
    completed.add(
        new Operation(id, p.client(), p.input(), outcome, output, p.invoked(), System.nanoTime()));
  }

  /** Every operation so far, in completion order; those still pending as UNKNOWN. */
  public synchronized List<Operation> operations() {
    List<Operation> out = new ArrayList<>(completed);
    pending.forEach(
        (id, p) ->
            out.add(
                new Operation(
                    id,
                    p.client(),
                    p.input(),
                    Outcome.UNKNOWN,
                    null,
                    p.invoked(),
                    Long.MAX_VALUE)));
    return out;
  }

  public synchronized Counts counts() {
    int ok = 0;
    int fail = 0;
    for (Operation o : completed) {
      if (o.outcome() == Outcome.OK) {
        ok++;
      } else if (o.outcome() == Outcome.FAIL) {
        fail++;
      }
    }
    return new Counts(ok, fail, completed.size() - ok - fail + pending.size());
  }
}
