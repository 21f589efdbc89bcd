package io.pekkoetcd.actors.apply;

import com.google.protobuf.ByteString;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.mvcc.RangeOptions;
import io.pekkoetcd.mvcc.ReadView;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.List;

/**
 * A txn's compares (etcd's {@code applyCompare}): a compare over a range holds if it holds for
 * every key that exists; on no key, VALUE is false and the other targets compare a zero KeyValue.
 */
final class Compares {
  private Compares() {}

  /** Reads at the view's revision; version, create and mod revision come from the key index. */
  static boolean holds(ReadView view, Compare c) throws MvccException {
    boolean needKv =
        c.getTarget() == Compare.CompareTarget.VALUE
            || c.getTarget() == Compare.CompareTarget.LEASE;
    List<KeyValue> kvs =
        view.range(c.getKey(), c.getRangeEnd(), new RangeOptions(0, 0, false, !needKv)).kvs();
    if (kvs.isEmpty()) {
      return c.getTarget() != Compare.CompareTarget.VALUE
          && compareKv(c, KeyValue.getDefaultInstance());
    }
    for (KeyValue kv : kvs) {
      if (!compareKv(c, kv)) {
        return false;
      }
    }
    return true;
  }

  private static boolean compareKv(Compare c, KeyValue kv) {
    int result;
    switch (c.getTarget()) {
      case VALUE:
        {
          ByteString v =
              c.getTargetUnionCase() == Compare.TargetUnionCase.VALUE
                  ? c.getValue()
                  : ByteString.EMPTY;
          result = ByteString.unsignedLexicographicalComparator().compare(kv.getValue(), v);
          break;
        }
      case CREATE:
        result =
            Long.compare(
                kv.getCreateRevision(),
                c.getTargetUnionCase() == Compare.TargetUnionCase.CREATE_REVISION
                    ? c.getCreateRevision()
                    : 0);
        break;
      case MOD:
        result =
            Long.compare(
                kv.getModRevision(),
                c.getTargetUnionCase() == Compare.TargetUnionCase.MOD_REVISION
                    ? c.getModRevision()
                    : 0);
        break;
      case VERSION:
        result =
            Long.compare(
                kv.getVersion(),
                c.getTargetUnionCase() == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0);
        break;
      case LEASE:
        result =
            Long.compare(
                kv.getLease(),
                c.getTargetUnionCase() == Compare.TargetUnionCase.LEASE ? c.getLease() : 0);
        break;
      default:
        result = 0;
    }
    return switch (c.getResult()) {
      case EQUAL -> result == 0;
      case NOT_EQUAL -> result != 0;
      case GREATER -> result > 0;
      case LESS -> result < 0;
      default -> true;
    };
  }
}
