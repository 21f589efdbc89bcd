package io.pekkoetcd.multijvm.workload;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Channel;
import io.pekkoetcd.testkit.linearizability.KvInput;
import io.pekkoetcd.testkit.linearizability.KvOutput;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The checker's operations as etcd gRPC calls (etcd's own messages, through grpc-java): each
 * returns the answer as a {@link KvOutput}, or throws the call's {@link
 * io.grpc.StatusRuntimeException}. A Get is a linearizable Range (the default); a compare-and-set
 * is a Txn comparing the key's mod revision.
 */
final class KvCalls {
  private KvCalls() {}

  static KvOutput call(Channel channel, KvInput input, long deadlineMs) {
    KVGrpc.KVBlockingStub kv =
        KVGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
    ByteString key = bs(input.key());
    if (input instanceof KvInput.Put p) {
      return new KvOutput.PutOk(
          kv.put(PutRequest.newBuilder().setKey(key).setValue(bs(p.value())).build())
              .getHeader()
              .getRevision());
    } else if (input instanceof KvInput.Get) {
      RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(key).build());
      if (r.getKvsCount() == 0) {
        return new KvOutput.GetOk(r.getHeader().getRevision(), null);
      }
      KeyValue x = r.getKvs(0);
      return new KvOutput.GetOk(
          r.getHeader().getRevision(),
          new KvOutput.Kv(
              x.getValue().toStringUtf8(),
              x.getModRevision(),
              x.getCreateRevision(),
              x.getVersion()));
    } else if (input instanceof KvInput.Delete) {
      DeleteRangeResponse r = kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(key).build());
      return new KvOutput.DeleteOk(r.getHeader().getRevision(), r.getDeleted());
    } else {
      KvInput.CompareAndSet c = (KvInput.CompareAndSet) input;
      TxnRequest txn =
          TxnRequest.newBuilder()
              .addCompare(
                  Compare.newBuilder()
                      .setKey(key)
                      .setTarget(Compare.CompareTarget.MOD)
                      .setResult(Compare.CompareResult.EQUAL)
                      .setModRevision(c.expectedModRevision()))
              .addSuccess(
                  RequestOp.newBuilder()
                      .setRequestPut(PutRequest.newBuilder().setKey(key).setValue(bs(c.value()))))
              .build();
      TxnResponse r = kv.txn(txn);
      return new KvOutput.CasOk(r.getHeader().getRevision(), r.getSucceeded());
    }
  }

  /** The value {@code key} had at {@code revision} (a Range at that revision), or null if none. */
  static KeyValue at(Channel channel, String key, long revision) {
    RangeResponse r =
        readBack(channel, RangeRequest.newBuilder().setKey(bs(key)).setRevision(revision).build());
    return r.getKvsCount() == 0 ? null : r.getKvs(0);
  }

  /** Every key under {@code prefix} as the store had them at {@code revision}, by key. */
  static java.util.Map<String, KeyValue> prefixAt(Channel channel, String prefix, long revision) {
    RangeResponse r =
        readBack(
            channel,
            RangeRequest.newBuilder()
                .setKey(bs(prefix))
                .setRangeEnd(bs(prefixEnd(prefix)))
                .setRevision(revision)
                .build());
    java.util.Map<String, KeyValue> out = new java.util.HashMap<>();
    r.getKvsList().forEach(kv -> out.put(kv.getKey().toStringUtf8(), kv));
    return out;
  }

  /**
   * A range of the checks after the run: retried while the member answers UNAVAILABLE (etcd's
   * transient "leader changed", "no leader"), as every etcd client retries them, for up to 60 s.
   * The checks are about the data; a leader change while they read (a member starved of CPU misses
   * its heartbeats) is not what they judge, and the scenario's clients saw it in the history.
   */
  private static RangeResponse readBack(Channel channel, RangeRequest request) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return KVGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .range(request);
      } catch (io.grpc.StatusRuntimeException e) {
        if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE
            || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(100); // backoff between attempts, not synchronisation
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The end of the range of keys starting with {@code prefix} (its last character plus one). */
  static String prefixEnd(String prefix) {
    char last = prefix.charAt(prefix.length() - 1);
    return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
  }

  static ByteString bs(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }
}
