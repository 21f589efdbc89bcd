package io.pekkoetcd.actors.apply;

import com.google.protobuf.ByteString;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.mvcc.RangeOptions;
import io.pekkoetcd.mvcc.RangeResult;
import io.pekkoetcd.mvcc.ReadView;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A RangeRequest over a {@link ReadView} (etcd's {@code apply.go} Range): the view finds the keys
 * and counts them; this filters by revision bounds, sorts, applies the limit (setting {@code more})
 * and {@code keys_only}. Header revision = the view's revision (only revision set).
 */
final class Ranges {
  private Ranges() {}

  static RangeResponse range(ReadView view, RangeRequest r) throws MvccException {
    if (r.getCountOnly()) {
      RangeResult res =
          view.range(
              r.getKey(), r.getRangeEnd(), new RangeOptions(0, r.getRevision(), true, false));
      return RangeResponse.newBuilder().setHeader(header(res.rev())).setCount(res.count()).build();
    }
    boolean fetchAll =
        r.getSortOrder() != RangeRequest.SortOrder.NONE
            || r.getMinModRevision() != 0
            || r.getMaxModRevision() != 0
            || r.getMinCreateRevision() != 0
            || r.getMaxCreateRevision() != 0;
    long limit = fetchAll || r.getLimit() <= 0 ? 0 : r.getLimit() + 1;
    RangeResult res =
        view.range(
            r.getKey(), r.getRangeEnd(), new RangeOptions(limit, r.getRevision(), false, false));
    RangeResponse.Builder resp =
        RangeResponse.newBuilder().setHeader(header(res.rev())).setCount(res.count());
    List<KeyValue> kvs = new ArrayList<>(res.kvs());
    if (r.getMaxModRevision() != 0) {
      kvs.removeIf(kv -> kv.getModRevision() > r.getMaxModRevision());
    }
    if (r.getMinModRevision() != 0) {
      kvs.removeIf(kv -> kv.getModRevision() < r.getMinModRevision());
    }
    if (r.getMaxCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.getCreateRevision() > r.getMaxCreateRevision());
    }
    if (r.getMinCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.getCreateRevision() < r.getMinCreateRevision());
    }
    sort(kvs, r.getSortOrder(), r.getSortTarget());
    if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
      kvs = kvs.subList(0, (int) r.getLimit());
      resp.setMore(true);
    }
    for (KeyValue kv : kvs) {
      resp.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
    }
    return resp.build();
  }

  static ResponseHeader header(long rev) {
    return ResponseHeader.newBuilder().setRevision(rev).build();
  }

  /** Stable sort of a key-ordered list; NONE with a target other than KEY means ASCEND. */
  private static void sort(
      List<KeyValue> kvs, RangeRequest.SortOrder order, RangeRequest.SortTarget target) {
    if (order == RangeRequest.SortOrder.NONE && target != RangeRequest.SortTarget.KEY) {
      order = RangeRequest.SortOrder.ASCEND;
    }
    if (order != RangeRequest.SortOrder.ASCEND && order != RangeRequest.SortOrder.DESCEND) {
      return;
    }
    Comparator<KeyValue> c =
        switch (target) {
          case KEY ->
              (a, b) ->
                  ByteString.unsignedLexicographicalComparator().compare(a.getKey(), b.getKey());
          case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
          case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
          case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
          case VALUE ->
              (a, b) ->
                  ByteString.unsignedLexicographicalComparator()
                      .compare(a.getValue(), b.getValue());
          case UNRECOGNIZED -> null;
        };
    if (c == null) {
      return;
    }
    kvs.sort(order == RangeRequest.SortOrder.DESCEND ? c.reversed() : c);
  }
}
