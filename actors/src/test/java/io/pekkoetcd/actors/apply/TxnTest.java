package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static io.pekkoetcd.actors.apply.StoreFixture.cmp;
import static io.pekkoetcd.actors.apply.StoreFixture.cmpValue;
import static io.pekkoetcd.actors.apply.StoreFixture.opDel;
import static io.pekkoetcd.actors.apply.StoreFixture.opGet;
import static io.pekkoetcd.actors.apply.StoreFixture.opPut;
import static io.pekkoetcd.actors.apply.StoreFixture.opTxn;
import static io.pekkoetcd.protocol.etcdserverpb.Compare.CompareResult.EQUAL;
import static io.pekkoetcd.protocol.etcdserverpb.Compare.CompareResult.GREATER;
import static io.pekkoetcd.protocol.etcdserverpb.Compare.CompareResult.LESS;
import static io.pekkoetcd.protocol.etcdserverpb.Compare.CompareResult.NOT_EQUAL;
import static io.pekkoetcd.protocol.etcdserverpb.Compare.CompareTarget.CREATE;
import static io.pekkoetcd.protocol.etcdserverpb.Compare.CompareTarget.LEASE;
import static io.pekkoetcd.protocol.etcdserverpb.Compare.CompareTarget.MOD;
import static io.pekkoetcd.protocol.etcdserverpb.Compare.CompareTarget.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.protocol.etcdserverpb.Compare;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.ResponseOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Txn semantics. History for the compare table: 2: k=v, 3: l=lv (lease 7). */
class TxnTest {

  @TempDir Path dir;

  StoreFixture history() {
    StoreFixture f = new StoreFixture(dir, MvccOptions.defaults(), Set.of(7L));
    f.put("k", "v");
    f.ok(
        StoreFixture.put(
            PutRequest.newBuilder().setKey(b("l")).setValue(b("lv")).setLease(7).build()));
    return f;
  }

  static Compare range(Compare c, String end) {
    return c.toBuilder().setRangeEnd(b(end)).build();
  }

  static Stream<Arguments> compares() {
    return Stream.of(
        Arguments.of("version == 1", cmp("k", VERSION, EQUAL, 1), true),
        Arguments.of("version > 0", cmp("k", VERSION, GREATER, 0), true),
        Arguments.of("version < 1", cmp("k", VERSION, LESS, 1), false),
        Arguments.of("version != 1", cmp("k", VERSION, NOT_EQUAL, 1), false),
        Arguments.of("create == 2", cmp("k", CREATE, EQUAL, 2), true),
        Arguments.of("create < 2", cmp("k", CREATE, LESS, 2), false),
        Arguments.of("mod == 2", cmp("k", MOD, EQUAL, 2), true),
        Arguments.of("mod > 1", cmp("l", MOD, GREATER, 2), true),
        Arguments.of("value == v", cmpValue("k", EQUAL, "v"), true),
        Arguments.of("value > u", cmpValue("k", GREATER, "u"), true),
        Arguments.of("value < w", cmpValue("k", LESS, "w"), true),
        Arguments.of("value != v", cmpValue("k", NOT_EQUAL, "v"), false),
        Arguments.of("lease == 7", cmp("l", LEASE, EQUAL, 7), true),
        Arguments.of("lease of unleased key == 0", cmp("k", LEASE, EQUAL, 0), true),
        Arguments.of("missing: version == 0", cmp("x", VERSION, EQUAL, 0), true),
        Arguments.of("missing: create == 0", cmp("x", CREATE, EQUAL, 0), true),
        Arguments.of("missing: mod == 0", cmp("x", MOD, EQUAL, 0), true),
        Arguments.of("missing: lease == 0", cmp("x", LEASE, EQUAL, 0), true),
        Arguments.of("missing: version > 0", cmp("x", VERSION, GREATER, 0), false),
        Arguments.of("missing: value == empty", cmpValue("x", EQUAL, ""), false),
        Arguments.of("missing: value != a", cmpValue("x", NOT_EQUAL, "a"), false),
        Arguments.of("range [a,z): version > 0", range(cmp("a", VERSION, GREATER, 0), "z"), true),
        Arguments.of("range [a,z): value == v", range(cmpValue("a", EQUAL, "v"), "z"), false),
        Arguments.of("range [a,l): value == v", range(cmpValue("a", EQUAL, "v"), "l"), true),
        Arguments.of("from key k: mod >= 2", range(cmp("k", MOD, GREATER, 1), "\0"), true),
        Arguments.of("empty range: version == 0", range(cmp("x", VERSION, EQUAL, 0), "y"), true),
        Arguments.of("empty range: value == empty", range(cmpValue("x", EQUAL, ""), "y"), false),
        Arguments.of(
            "unset target value compares with 0",
            Compare.newBuilder().setKey(b("k")).setTarget(VERSION).setResult(GREATER).build(),
            true),
        Arguments.of(
            "union of another target compares with 0",
            Compare.newBuilder()
                .setKey(b("k"))
                .setTarget(MOD)
                .setResult(GREATER)
                .setVersion(100)
                .build(),
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compares")
  void compare(String name, Compare c, boolean expected) throws Exception {
    try (StoreFixture f = history()) {
      TxnRequest t =
          TxnRequest.newBuilder()
              .addCompare(c)
              .addSuccess(opGet("k"))
              .addFailure(opGet("l"))
              .build();
      TxnResponse ro = f.applier.readOnlyTxn(t);
      assertThat(ro.getSucceeded()).isEqualTo(expected);
      assertThat(ro.getResponses(0).getResponseRange().getKvs(0).getKey())
          .isEqualTo(b(expected ? "k" : "l"));
      // the same through the write path
      assertThat(f.txnOk(t).getSucceeded()).isEqualTo(expected);
    }
  }

  @Test
  void comparesAreAnded() throws Exception {
    try (StoreFixture f = history()) {
      TxnRequest t =
          TxnRequest.newBuilder()
              .addCompare(cmp("k", VERSION, EQUAL, 1))
              .addCompare(cmpValue("l", EQUAL, "nope"))
              .build();
      assertThat(f.applier.readOnlyTxn(t).getSucceeded()).isFalse();
    }
  }

  /**
   * As observed on etcd 3.4: every inner header is the revision as seen at that point of the txn.
   */
  @Test
  void readsSeeEarlierWritesAndHeadersFollowEtcd() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.put("a", "1");
      TxnResponse r =
          f.txnOk(
              TxnRequest.newBuilder()
                  .addSuccess(opPut("b", "2"))
                  .addSuccess(opGet("b"))
                  .addSuccess(opDel("zz"))
                  .addSuccess(opGet("a"))
                  .build());
      assertThat(r.getHeader().getRevision()).isEqualTo(3);
      assertThat(r.getResponsesList().stream().map(TxnTest::headerRev))
          .containsExactly(3L, 3L, 3L, 3L);
      assertThat(r.getResponses(1).getResponseRange().getKvs(0).getValue()).isEqualTo(b("2"));
      TxnResponse r2 =
          f.txnOk(
              TxnRequest.newBuilder()
                  .addSuccess(opDel("nothere"))
                  .addSuccess(opGet("a"))
                  .addSuccess(opPut("c", "3"))
                  .build());
      assertThat(r2.getResponsesList().stream().map(TxnTest::headerRev))
          .containsExactly(3L, 3L, 4L);
      assertThat(r2.getHeader().getRevision()).isEqualTo(4);
    }
  }

  static long headerRev(ResponseOp op) {
    return switch (op.getResponseCase()) {
      case RESPONSE_RANGE -> op.getResponseRange().getHeader().getRevision();
      case RESPONSE_PUT -> op.getResponsePut().getHeader().getRevision();
      case RESPONSE_DELETE_RANGE -> op.getResponseDeleteRange().getHeader().getRevision();
      case RESPONSE_TXN -> op.getResponseTxn().getHeader().getRevision();
      case RESPONSE_NOT_SET -> -1;
    };
  }

  @Test
  void deleteTwiceSeesTheFirstDelete() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.put("a", "1");
      TxnResponse r =
          f.txnOk(TxnRequest.newBuilder().addSuccess(opDel("a")).addSuccess(opDel("a")).build());
      assertThat(r.getResponses(0).getResponseDeleteRange().getDeleted()).isEqualTo(1);
      assertThat(r.getResponses(1).getResponseDeleteRange().getDeleted()).isZero();
      assertThat(f.store.currentRevision()).isEqualTo(3);
    }
  }

  @Test
  void nestedTxnComparesSeeTheSnapshotAndHaveAnEmptyHeader() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      TxnRequest inner =
          TxnRequest.newBuilder()
              .addCompare(cmp("x", VERSION, EQUAL, 0))
              .addSuccess(opPut("y", "then"))
              .addFailure(opPut("y", "else"))
              .build();
      ApplyResult.Ok ok =
          (ApplyResult.Ok)
              f.apply(
                  StoreFixture.txn(
                      TxnRequest.newBuilder()
                          .addSuccess(opPut("x", "1"))
                          .addSuccess(opTxn(inner))
                          .build()));
      TxnResponse r = (TxnResponse) ok.response();
      TxnResponse nested = r.getResponses(1).getResponseTxn();
      assertThat(nested.getSucceeded()).isTrue(); // x did not exist when the txn began
      assertThat(nested.hasHeader()).isTrue();
      assertThat(nested.getHeader()).isEqualTo(ResponseHeader.getDefaultInstance());
      assertThat(nested.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(2);
      assertThat(f.get("y").getValue()).isEqualTo(b("then"));
      // one revision, two events in op order with sub-revision order
      assertThat(ok.revision()).isEqualTo(2);
      assertThat(ok.events().stream().map(e -> e.getKv().getKey().toStringUtf8()))
          .containsExactly("x", "y");
      assertThat(ok.events())
          .allMatch(e -> e.getKv().getModRevision() == 2 && e.getType() == Event.EventType.PUT);
    }
  }

  static Stream<Arguments> failingTxns() {
    RequestOp ignoreMissing =
        RequestOp.newBuilder()
            .setRequestPut(PutRequest.newBuilder().setKey(b("missing")).setIgnoreValue(true))
            .build();
    RequestOp badLease =
        RequestOp.newBuilder()
            .setRequestPut(PutRequest.newBuilder().setKey(b("n")).setLease(99))
            .build();
    RequestOp futureRange =
        RequestOp.newBuilder()
            .setRequestRange(RangeRequest.newBuilder().setKey(b("k")).setRevision(100))
            .build();
    RequestOp compactedRange =
        RequestOp.newBuilder()
            .setRequestRange(RangeRequest.newBuilder().setKey(b("k")).setRevision(1))
            .build();
    RequestOp ownRevisionRange =
        RequestOp.newBuilder()
            .setRequestRange(RangeRequest.newBuilder().setKey(b("k")).setRevision(4))
            .build();
    return Stream.of(
        Arguments.of("ignore_value on missing key", ignoreMissing, MvccError.KEY_NOT_FOUND),
        Arguments.of("unknown lease", badLease, MvccError.LEASE_NOT_FOUND),
        Arguments.of("range at a future revision", futureRange, MvccError.FUTURE_REV),
        Arguments.of("range at the txn's own revision", ownRevisionRange, MvccError.FUTURE_REV),
        Arguments.of("range below the compacted revision", compactedRange, MvccError.COMPACTED),
        Arguments.of(
            "in a nested txn",
            opTxn(TxnRequest.newBuilder().addSuccess(badLease).build()),
            MvccError.LEASE_NOT_FOUND));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failingTxns")
  void anErrorInTheExecutedBranchAppliesNothing(String name, RequestOp bad, MvccError error)
      throws Exception {
    try (StoreFixture f = history()) {
      f.ok(StoreFixture.compaction(2));
      TxnRequest t =
          TxnRequest.newBuilder()
              .addSuccess(opPut("first", "1"))
              .addSuccess(opDel("k"))
              .addSuccess(bad)
              .build();
      assertThat(f.fails(StoreFixture.txn(t))).isEqualTo(error);
      assertThat(f.store.currentRevision()).isEqualTo(3);
      assertThat(f.get("first")).isNull();
      assertThat(f.get("k")).isNotNull();
      // entries: grant lease 7, put, txn, compaction, this txn
      assertThat(f.store.consistentIndex()).isEqualTo(5);
      // the same op in the branch that is not executed is not checked
      TxnRequest other =
          TxnRequest.newBuilder().addSuccess(opPut("first", "1")).addFailure(bad).build();
      assertThat(f.txnOk(other).getSucceeded()).isTrue();
      assertThat(f.store.currentRevision()).isEqualTo(4);
    }
  }

  @Test
  void txnWithoutChangesDoesNotBumpTheRevision() throws Exception {
    try (StoreFixture f = history()) {
      TxnResponse r =
          f.txnOk(
              TxnRequest.newBuilder().addSuccess(opGet("k")).addSuccess(opDel("nothing")).build());
      assertThat(r.getHeader().getRevision()).isEqualTo(3);
      assertThat(f.store.currentRevision()).isEqualTo(3);
      assertThat(f.txnOk(TxnRequest.getDefaultInstance()).getHeader().getRevision()).isEqualTo(3);
    }
  }

  @Test
  void readOnlyTxn() throws Exception {
    try (StoreFixture f = history()) {
      TxnResponse r = f.applier.readOnlyTxn(TxnRequest.newBuilder().addSuccess(opGet("k")).build());
      assertThat(r.getHeader().getRevision()).isEqualTo(3);
      assertThat(r.getResponses(0).getResponseRange().getHeader().getRevision()).isEqualTo(3);
      assertThat(KvOps.isReadOnly(TxnRequest.newBuilder().addFailure(opPut("a", "b")).build()))
          .isFalse();
      assertThat(
              KvOps.isReadOnly(
                  TxnRequest.newBuilder()
                      .addSuccess(opTxn(TxnRequest.getDefaultInstance()))
                      .build()))
          .isFalse();
      assertThatThrownBy(
              () ->
                  f.applier.readOnlyTxn(
                      TxnRequest.newBuilder().addFailure(opPut("a", "b")).build()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () ->
                  f.applier.readOnlyTxn(
                      TxnRequest.newBuilder()
                          .addSuccess(
                              RequestOp.newBuilder()
                                  .setRequestRange(
                                      RangeRequest.newBuilder().setKey(b("k")).setRevision(9)))
                          .build()))
          .hasMessage("FUTURE_REV");
    }
  }

  @Test
  void createIfAbsentIdiom() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      TxnRequest t =
          TxnRequest.newBuilder()
              .addCompare(cmp("lock", CREATE, EQUAL, 0))
              .addSuccess(opPut("lock", "me"))
              .addFailure(opGet("lock"))
              .build();
      assertThat(f.txnOk(t).getSucceeded()).isTrue();
      TxnResponse second = f.txnOk(t);
      assertThat(second.getSucceeded()).isFalse();
      assertThat(second.getResponses(0).getResponseRange().getKvs(0).getValue()).isEqualTo(b("me"));
      assertThat(f.store.currentRevision()).isEqualTo(2);
    }
  }

  @Test
  void txnEventsMixPutsAndDeletes() {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.put("a", "1");
      ApplyResult.Ok ok =
          (ApplyResult.Ok)
              f.apply(
                  StoreFixture.txn(
                      TxnRequest.newBuilder()
                          .addSuccess(opDel("a"))
                          .addSuccess(opPut("b", "2"))
                          .build()));
      List<Event> ev = ok.events();
      assertThat(ev)
          .extracting(Event::getType)
          .containsExactly(Event.EventType.DELETE, Event.EventType.PUT);
      assertThat(ev.get(0).getPrevKv().getValue()).isEqualTo(b("1"));
      assertThat(ev.get(1).hasPrevKv()).isFalse();
    }
  }
}
