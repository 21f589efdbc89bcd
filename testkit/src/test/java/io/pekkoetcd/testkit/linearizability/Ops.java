package io.pekkoetcd.testkit.linearizability;

import io.pekkoetcd.testkit.linearizability.KvOutput.Kv;
import io.pekkoetcd.testkit.linearizability.Operation.Outcome;
import java.util.ArrayList;
import java.util.List;

/** Hand-written histories for the checker's tests: operations with explicit times. */
final class Ops {
  private final List<Operation> ops = new ArrayList<>();

  Ops put(int client, String key, String value, long revision, long from, long to) {
    return add(client, new KvInput.Put(key, value), new KvOutput.PutOk(revision), from, to);
  }

  Ops get(int client, String key, Kv kv, long header, long from, long to) {
    return add(client, new KvInput.Get(key), new KvOutput.GetOk(header, kv), from, to);
  }

  Ops delete(int client, String key, long deleted, long revision, long from, long to) {
    return add(client, new KvInput.Delete(key), new KvOutput.DeleteOk(revision, deleted), from, to);
  }

  Ops cas(
      int client,
      String key,
      long expected,
      String value,
      boolean succeeded,
      long revision,
      long from,
      long to) {
    return add(
        client,
        new KvInput.CompareAndSet(key, expected, value),
        new KvOutput.CasOk(revision, succeeded),
        from,
        to);
  }

  /** An operation whose client never learned its outcome, invoked at {@code from}. */
  Ops unknown(int client, KvInput input, long from) {
    ops.add(new Operation(ops.size(), client, input, Outcome.UNKNOWN, null, from, Long.MAX_VALUE));
    return this;
  }

  Ops failed(int client, KvInput input, long from, long to) {
    ops.add(new Operation(ops.size(), client, input, Outcome.FAIL, null, from, to));
    return this;
  }

  private Ops add(int client, KvInput input, KvOutput output, long from, long to) {
    ops.add(new Operation(ops.size(), client, input, Outcome.OK, output, from, to));
    return this;
  }

  static Kv kv(String value, long mod, long create, long version) {
    return new Kv(value, mod, create, version);
  }

  List<Operation> list() {
    return List.copyOf(ops);
  }
}
