package io.pekkoetcd.actors.apply;

import com.google.protobuf.ByteString;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks etcd's gRPC layer ({@code v3rpc/key.go}) makes before proposing a KV request. Pure;
 * the caller runs it before proposing, and {@link KvApplier} does not repeat it when applying.
 */
public final class KvRequestValidator {

  private final int maxTxnOps;

  public KvRequestValidator(int maxTxnOps) {
    this.maxTxnOps = maxTxnOps;
  }

  public Optional<MvccError> check(RangeRequest r) {
    return Optional.ofNullable(checkRange(r));
  }

  public Optional<MvccError> check(PutRequest r) {
    return Optional.ofNullable(checkPut(r));
  }

  public Optional<MvccError> check(DeleteRangeRequest r) {
    return Optional.ofNullable(checkDelete(r));
  }

  /** Op counts, empty keys, empty ops, then etcd's duplicate-key rule on each branch. */
  public Optional<MvccError> check(TxnRequest r) {
    MvccError e = checkTxn(r, maxTxnOps);
    if (e == null
        && (checkIntervals(r.getSuccessList()) == null
            || checkIntervals(r.getFailureList()) == null)) {
      e = MvccError.DUPLICATE_KEY;
    }
    return Optional.ofNullable(e);
  }

  /** etcd checks nothing here; the store answers COMPACTED / FUTURE_REV when applying. */
  public Optional<MvccError> check(CompactionRequest r) {
    return Optional.empty();
  }

  private static MvccError checkRange(RangeRequest r) {
    if (r.getKey().isEmpty()) {
      return MvccError.KEY_NOT_PROVIDED;
    }
    // etcd 3.6 rejects unknown enum values; 3.5 would panic on an unknown sort target.
    if (r.getSortOrder() == RangeRequest.SortOrder.UNRECOGNIZED
        || r.getSortTarget() == RangeRequest.SortTarget.UNRECOGNIZED) {
      return MvccError.INVALID_SORT_OPTION;
    }
    return null;
  }

  private static MvccError checkPut(PutRequest r) {
    if (r.getKey().isEmpty()) {
      return MvccError.KEY_NOT_PROVIDED;
    }
    if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
      return MvccError.VALUE_PROVIDED;
    }
    if (r.getIgnoreLease() && r.getLease() != 0) {
      return MvccError.LEASE_PROVIDED;
    }
    return null;
  }

  private static MvccError checkDelete(DeleteRangeRequest r) {
    return r.getKey().isEmpty() ? MvccError.KEY_NOT_PROVIDED : null;
  }

  private static MvccError checkTxn(TxnRequest r, int budget) {
    int opc = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
    if (opc > budget) {
      return MvccError.TOO_MANY_TXN_OPS;
    }
    for (var c : r.getCompareList()) {
      if (c.getKey().isEmpty()) {
        return MvccError.KEY_NOT_PROVIDED;
      }
    }
    for (RequestOp op : r.getSuccessList()) {
      MvccError e = checkOp(op, budget - opc);
      if (e != null) {
        return e;
      }
    }
    for (RequestOp op : r.getFailureList()) {
      MvccError e = checkOp(op, budget - opc);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  private static MvccError checkOp(RequestOp op, int budget) {
    return switch (op.getRequestCase()) {
      case REQUEST_RANGE -> checkRange(op.getRequestRange());
      case REQUEST_PUT -> checkPut(op.getRequestPut());
      case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
      case REQUEST_TXN -> checkTxn(op.getRequestTxn(), budget);
      case REQUEST_NOT_SET -> MvccError.KEY_NOT_FOUND;
    };
  }

  /** A delete interval [begin, end) (a point delete is [key, key+"\0")). */
  private record Interval(ByteString begin, ByteString end) {
    boolean containsPoint(ByteString k) {
      return ByteString.unsignedLexicographicalComparator().compare(begin, k) <= 0
          && ByteString.unsignedLexicographicalComparator().compare(k, end) < 0;
    }

    /**
     * Overlaps ["\0", ∞), the filter etcd uses when lifting nested deletes (drops ranges ending at
     * "\0").
     */
    boolean liftable() {
      return ByteString.unsignedLexicographicalComparator().compare(ZERO, end) < 0;
    }
  }

  private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

  private record PutsDels(Set<ByteString> puts, List<Interval> dels) {}

  /**
   * etcd's {@code checkIntervals}: puts of one branch must not collide with each other or with
   * deletes of the branch, including those of nested txns (whose then/else may put the same key). A
   * from-key delete ({@code range_end = "\0"}) is an inverted interval and never collides (etcd bug
   * #22445, kept for compatibility); nested txns are checked in order, so a nested delete only
   * catches puts of later siblings and of this level.
   *
   * @return null on a duplicate
   */
  static PutsDels checkIntervals(List<RequestOp> reqs) {
    List<Interval> dels = new ArrayList<>();
    for (RequestOp req : reqs) {
      if (req.getRequestCase() != RequestOp.RequestCase.REQUEST_DELETE_RANGE) {
        continue;
      }
      DeleteRangeRequest d = req.getRequestDeleteRange();
      ByteString end = d.getRangeEnd().isEmpty() ? d.getKey().concat(ZERO) : d.getRangeEnd();
      dels.add(new Interval(d.getKey(), end));
    }
    Set<ByteString> puts = new HashSet<>();
    for (RequestOp req : reqs) {
      if (req.getRequestCase() != RequestOp.RequestCase.REQUEST_TXN) {
        continue;
      }
      PutsDels then = checkIntervals(req.getRequestTxn().getSuccessList());
      if (then == null) {
        return null;
      }
      PutsDels otherwise = checkIntervals(req.getRequestTxn().getFailureList());
      if (otherwise == null) {
        return null;
      }
      for (ByteString k : then.puts()) {
        if (puts.contains(k) || intersects(dels, k)) {
          return null;
        }
        puts.add(k);
      }
      for (ByteString k : otherwise.puts()) {
        if (puts.contains(k) && !then.puts().contains(k)) {
          return null;
        }
        if (intersects(dels, k)) {
          return null;
        }
        puts.add(k);
      }
      for (Interval iv : then.dels()) {
        if (iv.liftable()) {
          dels.add(iv);
        }
      }
      for (Interval iv : otherwise.dels()) {
        if (iv.liftable()) {
          dels.add(iv);
        }
      }
    }
    for (RequestOp req : reqs) {
      if (req.getRequestCase() != RequestOp.RequestCase.REQUEST_PUT) {
        continue;
      }
      ByteString k = req.getRequestPut().getKey();
      if (puts.contains(k) || intersects(dels, k)) {
        return null;
      }
      puts.add(k);
    }
    return new PutsDels(puts, dels);
  }

  private static boolean intersects(List<Interval> dels, ByteString k) {
    for (Interval iv : dels) {
      if (iv.containsPoint(k)) {
        return true;
      }
    }
    return false;
  }
}
