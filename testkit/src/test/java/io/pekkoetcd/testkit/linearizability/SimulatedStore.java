package io.pekkoetcd.testkit.linearizability;

import io.pekkoetcd.testkit.linearizability.KvOutput.Kv;
import io.pekkoetcd.testkit.linearizability.Operation.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates linearizable histories: clients invoke operations over overlapping intervals; each
 * takes effect at a random instant inside its interval on a correct sequential etcd store (one
 * revision counter), which gives its answer. An operation made UNKNOWN takes effect or not, by
 * coin.
 */
final class SimulatedStore {
  private record Planned(
      int client,
      KvInput input,
      long invoked,
      long at,
      long completed,
      boolean unknown,
      boolean happens) {}

  private final Map<String, Kv> store = new HashMap<>();
  private long revision = 1;

  static List<Operation> history(
      long seed, int clients, int opsPerClient, int keys, double unknownRate) {
    Random random = new Random(seed);
    List<Planned> planned = new ArrayList<>();
    int values = 0;
    for (int c = 0; c < clients; c++) {
      long t = random.nextInt(10);
      for (int i = 0; i < opsPerClient; i++) {
        String key = "k" + random.nextInt(keys);
        int kind = random.nextInt(10);
        KvInput input;
        if (kind < 4) {
          input = new KvInput.Put(key, "v" + values++);
        } else if (kind < 7) {
          input = new KvInput.Get(key);
        } else if (kind < 8) {
          input = new KvInput.Delete(key);
        } else {
          // expected 0 (create); made the current mod revision half of the time, below
          input = new KvInput.CompareAndSet(key, 0, "v" + values++);
        }
        long length = 1 + random.nextInt(30);
        long at = t + random.nextInt((int) length + 1);
        boolean unknown = !(input instanceof KvInput.Get) && random.nextDouble() < unknownRate;
        planned.add(
            new Planned(c, input, t, at, t + length, unknown, !unknown || random.nextBoolean()));
        t += length + random.nextInt(5);
      }
    }
    planned.sort(Comparator.comparingLong(Planned::at));
    SimulatedStore s = new SimulatedStore();
    List<Operation> out = new ArrayList<>();
    for (Planned p : planned) {
      KvInput input = p.input();
      if (input instanceof KvInput.CompareAndSet c && c.expectedModRevision() == 0) {
        // Compare with what is there now half of the time, so that some compare-and-sets win.
        Kv now = s.store.get(c.key());
        if (now != null && (p.at() & 1) == 0) {
          input = new KvInput.CompareAndSet(c.key(), now.modRevision(), c.value());
        }
      }
      KvOutput output = p.happens() ? s.apply(input) : null;
      Outcome outcome = p.unknown() ? Outcome.UNKNOWN : Outcome.OK;
      out.add(
          new Operation(
              out.size(),
              p.client(),
              input,
              outcome,
              p.unknown() ? null : output,
              p.invoked(),
              p.completed()));
    }
    return out;
  }

  private KvOutput apply(KvInput input) {
    String key = input.key();
    Kv now = store.get(key);
    if (input instanceof KvInput.Put p) {
      return new KvOutput.PutOk(put(key, p.value(), now));
    } else if (input instanceof KvInput.Get) {
      return new KvOutput.GetOk(revision, now);
    } else if (input instanceof KvInput.Delete) {
      if (now == null) {
        return new KvOutput.DeleteOk(revision, 0);
      }
      store.remove(key);
      return new KvOutput.DeleteOk(++revision, 1);
    } else {
      KvInput.CompareAndSet c = (KvInput.CompareAndSet) input;
      long mod = now == null ? 0 : now.modRevision();
      if (mod != c.expectedModRevision()) {
        return new KvOutput.CasOk(revision, false);
      }
      return new KvOutput.CasOk(put(key, c.value(), now), true);
    }
  }

  private long put(String key, String value, Kv now) {
    long rev = ++revision;
    store.put(
        key,
        now == null
            ? new Kv(value, rev, rev, 1)
            : new Kv(value, rev, now.createRevision(), now.version() + 1));
    return rev;
  }
}
