package io.pekkoetcd.grpc;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import io.pekkoetcd.protocol.v3lockpb.LockPowerApi;
import io.pekkoetcd.protocol.v3lockpb.LockRequest;
import io.pekkoetcd.protocol.v3lockpb.LockResponse;
import io.pekkoetcd.protocol.v3lockpb.UnlockRequest;
import io.pekkoetcd.protocol.v3lockpb.UnlockResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * etcd's {@code v3lockpb.Lock} service (its {@code v3lock} server over {@code concurrency.Mutex}):
 * the lock is the key {@code name/<lease in hex>}, put with the lease if it does not exist; the
 * caller holds the lock once every key under {@code name/} created before it is deleted. A lease of
 * 0 gets a 60 s lease that nobody keeps alive. Unlock deletes the key.
 */
final class LockService implements LockPowerApi {
  private final Concurrency c;
  private final AuthGuard guard;

  /**
   * @param guard with auth enabled: Lock needs READ and WRITE on every key under {@code name/} (the
   *     txn and waits of etcd's mutex run as the caller), Unlock WRITE on the key
   */
  LockService(Concurrency c, AuthGuard guard) {
    this.c = c;
    this.guard = guard;
  }

  private static void readWritePrefix(AuthGuard.Checker c, ByteString name) {
    ByteString prefix = name.concat(ByteString.copyFromUtf8("/"));
    c.read(prefix, Concurrency.prefixEnd(prefix));
    c.write(prefix, Concurrency.prefixEnd(prefix));
  }

  @Override
  public CompletionStage<LockResponse> lock(LockRequest in, Metadata md) {
    return guard.checkedRecipe(md, c -> readWritePrefix(c, in.getName()), () -> lockUnchecked(in));
  }

  private CompletionStage<LockResponse> lockUnchecked(LockRequest in) {
    ByteString prefix = in.getName().concat(ByteString.copyFromUtf8("/"));
    return c.session(in.getLease())
        .thenCompose(
            lease -> {
              ByteString myKey = Concurrency.sessionKey(prefix, lease);
              RequestOp getOwner =
                  RequestOp.newBuilder().setRequestRange(Concurrency.firstCreate(prefix)).build();
              TxnRequest txn =
                  TxnRequest.newBuilder()
                      .addCompare(createRevisionIs(myKey, 0))
                      .addSuccess(
                          RequestOp.newBuilder()
                              .setRequestPut(PutRequest.newBuilder().setKey(myKey).setLease(lease)))
                      .addSuccess(getOwner)
                      .addFailure(
                          RequestOp.newBuilder()
                              .setRequestRange(RangeRequest.newBuilder().setKey(myKey)))
                      .addFailure(getOwner)
                      .build();
              return c.member()
                  .txn(txn)
                  .thenCompose(
                      resp -> {
                        long myRev =
                            resp.getSucceeded()
                                ? resp.getHeader().getRevision()
                                : resp.getResponses(0)
                                    .getResponseRange()
                                    .getKvs(0)
                                    .getCreateRevision();
                        List<KeyValue> owner = resp.getResponses(1).getResponseRange().getKvsList();
                        LockResponse.Builder out = LockResponse.newBuilder().setKey(myKey);
                        if (owner.isEmpty() || owner.get(0).getCreateRevision() == myRev) {
                          return CompletableFuture.completedFuture(
                              out.setHeader(resp.getHeader()).build());
                        }
                        return c.waitDeletes(prefix, myRev - 1)
                            .thenApply(header -> out.setHeader(header).build());
                      });
            });
  }

  @Override
  public CompletionStage<UnlockResponse> unlock(UnlockRequest in, Metadata md) {
    return guard.checkedRecipe(
        md, c -> c.write(in.getKey(), ByteString.EMPTY), () -> unlockUnchecked(in));
  }

  private CompletionStage<UnlockResponse> unlockUnchecked(UnlockRequest in) {
    return c.member()
        .deleteRange(DeleteRangeRequest.newBuilder().setKey(in.getKey()).build())
        .thenApply(r -> UnlockResponse.newBuilder().setHeader(r.getHeader()).build());
  }

  /** {@code create_revision(key) == rev}. */
  static Compare createRevisionIs(ByteString key, long rev) {
    return Compare.newBuilder()
        .setKey(key)
        .setTarget(Compare.CompareTarget.CREATE)
        .setResult(Compare.CompareResult.EQUAL)
        .setCreateRevision(rev)
        .build();
  }
}
