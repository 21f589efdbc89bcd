package io.pekkoetcd.multijvm.workload;

import io.etcd.jetcd.api.KeyValue;
import io.grpc.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Serializable gets (served from one member's own store, without ReadIndex): not linearizable, so
 * not in the history, but each must be a snapshot of the one committed history — what the key was
 * at the revision the member answered at. Checked after convergence by reading the key at that
 * revision from the converged store: the same value and mod revision, or absent in both.
 */
public final class SerializableReads {
  /** One answered serializable get: the key as it came back (value null: absent). */
  record Read(int member, String key, long revision, String value, long modRevision) {}

  private final Queue<Read> reads = new ConcurrentLinkedQueue<>();

  void add(Read r) {
    reads.add(r);
  }

  public int size() {
    return reads.size();
  }

  /** The reads that differ from the converged store's history (through {@code channel}). */
  public List<String> mismatches(Channel channel) {
    List<String> out = new ArrayList<>();
    for (Read r : reads) {
      KeyValue kv = KvCalls.at(channel, r.key(), r.revision());
      String value = kv == null ? null : kv.getValue().toStringUtf8();
      long mod = kv == null ? 0 : kv.getModRevision();
      if (!Objects.equals(value, r.value()) || mod != r.modRevision()) {
        out.add(
            r
                + " but at revision "
                + r.revision()
                + " the history has "
                + (kv == null ? "no key" : value + " (mod " + mod + ")"));
      }
    }
    return out;
  }
}
