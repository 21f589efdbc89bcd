package io.pekkoetcd.multijvm.workload;

import io.etcd.jetcd.api.KeyValue;
import io.grpc.Channel;
import io.pekkoetcd.testkit.linearizability.KvInput;
import io.pekkoetcd.testkit.linearizability.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * No acknowledged write is lost: every put and every compare-and-set that was answered as applied
 * at revision R is in the store's history at R (a Range at revision R shows the value with mod
 * revision R). The store is never compacted in these scenarios, so all of history is there.
 */
public final class AcknowledgedWrites {
  private AcknowledgedWrites() {}

  /** The acknowledged writes of {@code operations} missing from {@code channel}'s member. */
  public static List<String> missing(Channel channel, List<Operation> operations) {
    List<String> out = new ArrayList<>();
    for (Operation o : operations) {
      if (o.outcome() != Operation.Outcome.OK || !o.output().isWrite()) {
        continue;
      }
      String value;
      if (o.input() instanceof KvInput.Put p) {
        value = p.value();
      } else if (o.input() instanceof KvInput.CompareAndSet c) {
        value = c.value();
      } else {
        continue; // a delete: the linearizability check sees whether later reads find the key
      }
      long rev = o.output().revision();
      KeyValue kv = KvCalls.at(channel, o.input().key(), rev);
      if (kv == null || kv.getModRevision() != rev || !kv.getValue().toStringUtf8().equals(value)) {
        out.add(o + " but at revision " + rev + " the store has " + (kv == null ? "nothing" : kv));
      }
    }
    return out;
  }
}
