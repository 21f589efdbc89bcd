package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static io.pekkoetcd.actors.apply.StoreFixture.cmp;
import static io.pekkoetcd.actors.apply.StoreFixture.opDel;
import static io.pekkoetcd.actors.apply.StoreFixture.opDelRange;
import static io.pekkoetcd.actors.apply.StoreFixture.opGet;
import static io.pekkoetcd.actors.apply.StoreFixture.opPut;
import static io.pekkoetcd.actors.apply.StoreFixture.opTxn;
import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KvRequestValidatorTest {

  final KvRequestValidator v = new KvRequestValidator(128);

  @Test
  void singleRequests() {
    assertThat(v.check(RangeRequest.getDefaultInstance())).contains(MvccError.KEY_NOT_PROVIDED);
    assertThat(v.check(RangeRequest.newBuilder().setKey(b("a")).build())).isEmpty();
    assertThat(v.check(RangeRequest.newBuilder().setKey(b("a")).setSortOrderValue(7).build()))
        .contains(MvccError.INVALID_SORT_OPTION);
    assertThat(v.check(PutRequest.getDefaultInstance())).contains(MvccError.KEY_NOT_PROVIDED);
    assertThat(
            v.check(
                PutRequest.newBuilder()
                    .setKey(b("a"))
                    .setIgnoreValue(true)
                    .setValue(b("x"))
                    .build()))
        .contains(MvccError.VALUE_PROVIDED);
    assertThat(
            v.check(
                PutRequest.newBuilder().setKey(b("a")).setIgnoreLease(true).setLease(1).build()))
        .contains(MvccError.LEASE_PROVIDED);
    assertThat(
            v.check(
                PutRequest.newBuilder()
                    .setKey(b("a"))
                    .setIgnoreValue(true)
                    .setIgnoreLease(true)
                    .build()))
        .isEmpty();
    assertThat(v.check(DeleteRangeRequest.getDefaultInstance()))
        .contains(MvccError.KEY_NOT_PROVIDED);
    assertThat(
            v.check(DeleteRangeRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0")).build()))
        .isEmpty();
    assertThat(v.check(CompactionRequest.newBuilder().setRevision(-5).build())).isEmpty();
  }

  static TxnRequest.Builder txn() {
    return TxnRequest.newBuilder();
  }

  static TxnRequest.Builder nOps(int compares, int success, int failure) {
    return nOps("", compares, success, failure);
  }

  static TxnRequest.Builder nOps(String prefix, int compares, int success, int failure) {
    TxnRequest.Builder t = txn();
    for (int i = 0; i < compares; i++) {
      t.addCompare(cmp("c" + i, Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, 0));
    }
    for (int i = 0; i < success; i++) {
      t.addSuccess(opPut(prefix + "s" + i, "v"));
    }
    for (int i = 0; i < failure; i++) {
      t.addFailure(opPut(prefix + "f" + i, "v"));
    }
    return t;
  }

  static Arguments row(String name, TxnRequest.Builder t, MvccError expected) {
    return Arguments.of(name, t.build(), Optional.ofNullable(expected));
  }

  static Stream<Arguments> txns() {
    TxnRequest nested28 = nOps("n", 0, 28, 0).build();
    TxnRequest nested29 = nOps("n", 0, 29, 0).build();
    TxnRequest.Builder outer100 = nOps(0, 99, 0);
    return Stream.of(
        // op counts: the max of the three lists, not the sum
        row("128 compares", nOps(128, 0, 0), null),
        row("129 compares", nOps(129, 0, 0), MvccError.TOO_MANY_TXN_OPS),
        row("128 success", nOps(0, 128, 0), null),
        row("129 success", nOps(0, 129, 0), MvccError.TOO_MANY_TXN_OPS),
        row("129 failure", nOps(0, 0, 129), MvccError.TOO_MANY_TXN_OPS),
        row("128 of each", nOps(128, 128, 128), null),
        row("nested within budget 128-100", outer100.clone().addSuccess(opTxn(nested28)), null),
        row(
            "nested over budget 128-100",
            outer100.clone().addSuccess(opTxn(nested29)),
            MvccError.TOO_MANY_TXN_OPS),
        // keys and empty ops
        row(
            "empty compare key",
            txn().addCompare(Compare.getDefaultInstance()),
            MvccError.KEY_NOT_PROVIDED),
        row("empty op", txn().addSuccess(RequestOp.getDefaultInstance()), MvccError.KEY_NOT_FOUND),
        row(
            "empty op in failure",
            txn().addFailure(RequestOp.getDefaultInstance()),
            MvccError.KEY_NOT_FOUND),
        row("empty put key", txn().addSuccess(opPut("", "v")), MvccError.KEY_NOT_PROVIDED),
        row("empty range key", txn().addSuccess(opGet("")), MvccError.KEY_NOT_PROVIDED),
        row(
            "nested empty delete key",
            txn().addSuccess(opTxn(txn().addFailure(opDel("")).build())),
            MvccError.KEY_NOT_PROVIDED),
        // etcd's duplicate rule (checkIntervals)
        row(
            "put a twice",
            txn().addSuccess(opPut("a", "1")).addSuccess(opPut("a", "2")),
            MvccError.DUPLICATE_KEY),
        row(
            "put a in failure twice",
            txn().addFailure(opPut("a", "1")).addFailure(opPut("a", "2")),
            MvccError.DUPLICATE_KEY),
        row(
            "put a in success and failure",
            txn().addSuccess(opPut("a", "1")).addFailure(opPut("a", "2")),
            null),
        row(
            "put then delete same key",
            txn().addSuccess(opPut("a", "1")).addSuccess(opDel("a")),
            MvccError.DUPLICATE_KEY),
        row(
            "delete range then put inside",
            txn().addSuccess(opDelRange("a", "c")).addSuccess(opPut("b", "1")),
            MvccError.DUPLICATE_KEY),
        row(
            "put then delete range over it",
            txn().addSuccess(opPut("b", "1")).addSuccess(opDelRange("a", "c")),
            MvccError.DUPLICATE_KEY),
        row(
            "put at range end is outside",
            txn().addSuccess(opDelRange("a", "c")).addSuccess(opPut("c", "1")),
            null),
        row(
            "overlapping deletes",
            txn()
                .addSuccess(opDelRange("a", "c"))
                .addSuccess(opDelRange("b", "d"))
                .addSuccess(opDel("b")),
            null),
        row(
            "range and put same key",
            txn().addSuccess(opGet("a")).addSuccess(opPut("a", "1")),
            null),
        row(
            "from-key delete misses put (etcd #22445)",
            txn().addSuccess(opDelRange("a", "\0")).addSuccess(opPut("b", "1")),
            null),
        row(
            "nested then/else put same key",
            txn()
                .addSuccess(
                    opTxn(txn().addSuccess(opPut("a", "1")).addFailure(opPut("a", "2")).build())),
            null),
        row(
            "nested put vs outer put",
            txn()
                .addSuccess(opPut("a", "0"))
                .addSuccess(opTxn(txn().addSuccess(opPut("a", "1")).build())),
            MvccError.DUPLICATE_KEY),
        row(
            "nested else put vs outer put",
            txn()
                .addSuccess(opPut("a", "0"))
                .addSuccess(opTxn(txn().addFailure(opPut("a", "1")).build())),
            MvccError.DUPLICATE_KEY),
        row(
            "nested put vs outer delete",
            txn()
                .addSuccess(opDel("a"))
                .addSuccess(opTxn(txn().addSuccess(opPut("a", "1")).build())),
            MvccError.DUPLICATE_KEY),
        row(
            "outer put vs nested delete",
            txn()
                .addSuccess(opTxn(txn().addSuccess(opDelRange("a", "b")).build()))
                .addSuccess(opPut("a", "1")),
            MvccError.DUPLICATE_KEY),
        row(
            "two nested txns put the same key",
            txn()
                .addSuccess(opTxn(txn().addSuccess(opPut("a", "1")).build()))
                .addSuccess(opTxn(txn().addFailure(opPut("a", "2")).build())),
            MvccError.DUPLICATE_KEY),
        row(
            "earlier nested delete vs later nested put",
            txn()
                .addSuccess(opTxn(txn().addSuccess(opDel("a")).build()))
                .addSuccess(opTxn(txn().addSuccess(opPut("a", "2")).build())),
            MvccError.DUPLICATE_KEY),
        // etcd checks nested txns in order: a later sibling's delete does not catch an earlier
        // sibling's put
        row(
            "earlier nested put vs later nested delete (etcd order quirk)",
            txn()
                .addSuccess(opTxn(txn().addSuccess(opPut("a", "2")).build()))
                .addSuccess(opTxn(txn().addSuccess(opDel("a")).build())),
            null),
        row(
            "duplicate deep inside a nested else",
            txn()
                .addFailure(
                    opTxn(txn().addFailure(opPut("z", "1")).addFailure(opPut("z", "2")).build())),
            MvccError.DUPLICATE_KEY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("txns")
  void txn(String name, TxnRequest t, Optional<MvccError> expected) {
    assertThat(v.check(t)).isEqualTo(expected);
  }

  @Test
  void maxTxnOpsIsConfigurable() {
    KvRequestValidator small = new KvRequestValidator(2);
    assertThat(small.check(nOps(2, 2, 2).build())).isEmpty();
    assertThat(small.check(nOps(0, 3, 0).build())).contains(MvccError.TOO_MANY_TXN_OPS);
  }
}
