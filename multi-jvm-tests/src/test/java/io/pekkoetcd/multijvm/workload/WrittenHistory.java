package io.pekkoetcd.multijvm.workload;

import io.etcd.jetcd.api.KeyValue;
import io.grpc.Channel;
import io.pekkoetcd.testkit.linearizability.KvInput;
import io.pekkoetcd.testkit.linearizability.Operation;
import io.pekkoetcd.testkit.watch.WatchChecker;
import io.pekkoetcd.testkit.watch.WatchChecker.Change;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's write history, revision by revision, for the {@link WatchChecker}: every revision
 * from 2 (the first write on an empty store) up to the converged revision. An acknowledged write
 * names its own revision; a revision no acknowledged write explains was made by a write whose
 * outcome its client did not learn, and is found by what changed in the store at that revision (a
 * Range at it and at the one before) — and must match such an unknown write, or it is reported as a
 * write nobody made.
 */
public final class WrittenHistory {
  /** The history, and the revisions no client's write explains. */
  public record Result(WatchChecker checker, List<String> problems) {}

  private WrittenHistory() {}

  public static Result of(List<Operation> ops, Channel channel, long lastRevision) {
    WatchChecker checker = new WatchChecker();
    List<String> problems = new ArrayList<>();
    Map<Long, Change> acknowledged = new HashMap<>();
    List<Operation> unknown = new ArrayList<>();
    for (Operation o : ops) {
      if (o.outcome() == Operation.Outcome.UNKNOWN) {
        unknown.add(o);
      } else if (o.outcome() == Operation.Outcome.OK && o.output().isWrite()) {
        acknowledged.put(o.output().revision(), change(o));
      }
    }
    for (long rev = 2; rev <= lastRevision; rev++) {
      Change c = acknowledged.get(rev);
      if (c == null) {
        c = resolve(channel, rev, unknown, problems);
      }
      if (c != null) {
        checker.record(rev, List.of(c));
      }
    }
    return new Result(checker, problems);
  }

  private static Change change(Operation o) {
    KvInput in = o.input();
    if (in instanceof KvInput.Put p) {
      return Change.put(KvCalls.bs(p.key()), KvCalls.bs(p.value()));
    } else if (in instanceof KvInput.CompareAndSet c) {
      return Change.put(KvCalls.bs(c.key()), KvCalls.bs(c.value()));
    }
    return Change.delete(KvCalls.bs(in.key()));
  }

  /** The unknown write that made {@code rev}, found in the store, or null (a problem). */
  private static Change resolve(
      Channel channel, long rev, List<Operation> unknown, List<String> problems) {
    Map<String, KeyValue> after = KvCalls.prefixAt(channel, Watchers.PREFIX, rev);
    for (KeyValue kv : after.values()) {
      if (kv.getModRevision() == rev) {
        String key = kv.getKey().toStringUtf8();
        String value = kv.getValue().toStringUtf8();
        if (unknown.stream().noneMatch(o -> writes(o, key, value))) {
          problems.add("revision " + rev + " put " + key + "=" + value + ", which no client wrote");
        }
        return Change.put(kv.getKey(), kv.getValue());
      }
    }
    Map<String, KeyValue> before = KvCalls.prefixAt(channel, Watchers.PREFIX, rev - 1);
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        if (unknown.stream()
            .noneMatch(o -> o.input() instanceof KvInput.Delete d && d.key().equals(key))) {
          problems.add("revision " + rev + " deleted " + key + ", which no client deleted");
        }
        return Change.delete(KvCalls.bs(key));
      }
    }
    problems.add("revision " + rev + " changed nothing under " + Watchers.PREFIX);
    return null;
  }

  private static boolean writes(Operation o, String key, String value) {
    KvInput in = o.input();
    return (in instanceof KvInput.Put p && p.key().equals(key) && p.value().equals(value))
        || (in instanceof KvInput.CompareAndSet c
            && c.key().equals(key)
            && c.value().equals(value));
  }
}
