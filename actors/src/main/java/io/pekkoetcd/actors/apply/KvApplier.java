package io.pekkoetcd.actors.apply;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.mvcc.KV;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.mvcc.MvccStorageException;
import io.pekkoetcd.mvcc.TxnRead;
import io.pekkoetcd.mvcc.TxnWrite;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.CompactionResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd's {@code applierV3} for the KV requests: applies committed entries to a {@link KV} (one
 * {@link TxnWrite} per entry, one commit per batch) and serves reads from it. Single-threaded, as
 * the store. Requests are expected to have passed {@link KvRequestValidator} before they were
 * proposed.
 */
public final class KvApplier {

  private final KV store;
  private final KvOps ops;
  private final LeaseOps leaseOps;
  private final MemberOps memberOps;
  private final AuthOps authOps;

  /**
   * @param minLeaseTtl etcd's minimum lease TTL in seconds ({@link LeaseOps#minTtl(long, int)})
   */
  public KvApplier(KV store, long minLeaseTtl) {
    this(store, minLeaseTtl, new MemberOps(() -> Members.of(List.of())));
  }

  /**
   * @param memberOps applies membership changes (knows the initial cluster)
   */
  public KvApplier(KV store, long minLeaseTtl, MemberOps memberOps) {
    this(
        store,
        minLeaseTtl,
        memberOps,
        new io.pekkoetcd.actors.auth.AuthHolder(
            new io.pekkoetcd.actors.auth.SimpleTokens(
                300_000_000_000L, System::nanoTime, new java.security.SecureRandom())));
  }

  /**
   * @param auth where the applied auth state and tokens are published after each commit (reset to
   *     the store's auth state now)
   */
  public KvApplier(
      KV store, long minLeaseTtl, MemberOps memberOps, io.pekkoetcd.actors.auth.AuthHolder auth) {
    this.authOps = new AuthOps(store, auth);
    this.store = store;
    this.ops = new KvOps(id -> store.lease(id) != null);
    this.leaseOps = new LeaseOps(minLeaseTtl);
    this.memberOps = memberOps;
  }

  /** With etcd's default minimum lease TTL (2 s). */
  public KvApplier(KV store) {
    this(store, LeaseOps.minTtl(100, 10));
  }

  /**
   * Applies committed entries in order, all in one batch ending with the consistent index (= the
   * last applied index). An entry with index ≤ the consistent index is {@link ApplyResult.Skipped};
   * an entry that fails changes nothing but still counts as applied. {@code sync} fsyncs the batch,
   * which also makes every earlier one durable.
   *
   * @throws MvccStorageException if the store fails; it is then unusable and must be reopened
   */
  public List<ApplyResult> applyBatch(List<Applied> entries, boolean sync) {
    List<ApplyResult> results = new ArrayList<>(entries.size());
    try {
      for (Applied a : entries) {
        if (a.index() <= store.consistentIndex()) {
          results.add(new ApplyResult.Skipped(a.index()));
        } else {
          results.add(applyOne(a));
        }
      }
      store.commit(sync);
      authOps.committed();
    } catch (RuntimeException e) {
      store.abort();
      throw e instanceof MvccStorageException m ? m : new MvccStorageException("apply failed", e);
    }
    return results;
  }

  /** As {@link #applyBatch(List, boolean)}, not fsynced. */
  public List<ApplyResult> applyBatch(List<Applied> entries) {
    return applyBatch(entries, false);
  }

  private ApplyResult applyOne(Applied a) {
    InternalRaftRequest req =
        a.request() == null ? InternalRaftRequest.getDefaultInstance() : a.request();
    TxnWrite tw = store.write(a.index());
    Message resp;
    try {
      if (!store.alarms().isEmpty()) {
        refuseUnderAlarm(req);
      }
      authOps.checkRevision(store, req);
      resp =
          switch (req.getRequestCase()) {
            case PUT -> ops.put(tw, req.getPut());
            case DELETE_RANGE -> ops.deleteRange(tw, req.getDeleteRange());
            case TXN -> ops.txn(tw, req.getTxn(), true);
            case COMPACTION -> compact(tw, req.getCompaction());
            case LEASE_GRANT -> leaseOps.grant(store, tw, req.getLeaseGrant());
            case LEASE_REVOKE -> leaseOps.revoke(store, tw, req.getLeaseRevoke());
            case LEASE_CHECKPOINT -> leaseOps.checkpoint(store, tw, req.getLeaseCheckpoint());
            case MEMBER_CHANGE -> memberOps.apply(store, tw, req.getMemberChange());
            case ALARM -> AlarmOps.apply(store, tw, req.getAlarm());
            case AUTH_ENABLE,
                AUTH_DISABLE,
                AUTHENTICATE,
                USER_ADD,
                USER_DELETE,
                USER_CHANGE_PASSWORD,
                USER_GRANT_ROLE,
                USER_REVOKE_ROLE,
                ROLE_ADD,
                ROLE_DELETE,
                ROLE_GRANT_PERMISSION,
                ROLE_REVOKE_PERMISSION ->
                authOps.apply(store, tw, req, a.index());
            case REQUEST_NOT_SET -> Empty.getDefaultInstance();
          };
    } catch (MvccException e) {
      tw.end(); // checks come first: nothing changed, but the entry counts as applied
      return new ApplyResult.Failed(a.index(), e.error());
    } catch (ServerException e) {
      tw.end(); // a refused membership or auth change: nothing changed
      return new ApplyResult.Refused(a.index(), e.error());
    }
    List<Event> events = tw.changes();
    tw.end();
    return new ApplyResult.Ok(a.index(), resp, events, store.rev());
  }

  /**
   * etcd's appliers under an alarm: CORRUPT refuses every write, compaction and lease grant or
   * revoke ("etcdserver: corrupt cluster"); NOSPACE (the capped applier) refuses what takes space.
   */
  private void refuseUnderAlarm(InternalRaftRequest req) throws MvccException, ServerException {
    if (AlarmOps.corrupt(store)) {
      switch (req.getRequestCase()) {
        case PUT, DELETE_RANGE, TXN, COMPACTION, LEASE_GRANT, LEASE_REVOKE ->
            throw new ServerException(ServerError.CORRUPT);
        default -> {}
      }
    }
    if (AlarmOps.noSpace(store) && Quota.cost(req) > 0) {
      throw new MvccException(io.pekkoetcd.mvcc.MvccError.NO_SPACE);
    }
  }

  private static CompactionResponse compact(TxnWrite tw, CompactionRequest c) throws MvccException {
    tw.compact(c.getRevision(), c.getPhysical());
    return CompactionResponse.newBuilder().setHeader(Ranges.header(tw.rev())).build();
  }

  /** Range at the current state; header revision = current revision. */
  public RangeResponse range(RangeRequest r) throws MvccException {
    TxnRead tr = store.read();
    try {
      return ops.range(tr, r);
    } finally {
      tr.end();
    }
  }

  /**
   * A txn whose branches hold only Range ops (see {@link KvOps#isReadOnly}); header revision =
   * current revision.
   */
  public TxnResponse readOnlyTxn(TxnRequest r) throws MvccException {
    if (!KvOps.isReadOnly(r)) {
      throw new IllegalArgumentException("txn has write operations; propose it through Raft");
    }
    TxnRead tr = store.read();
    try {
      return ops.txn(tr, r, false);
    } finally {
      tr.end();
    }
  }
}
