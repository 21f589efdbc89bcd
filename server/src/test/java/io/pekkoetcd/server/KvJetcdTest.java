package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KV service through jetcd, the real Java etcd client, against a real member: every KV option
 * and every KV error with etcd's status code and exact message (shared/etcd-api.md §2.3–2.7, §3).
 */
class KvJetcdTest {
  @TempDir static Path dir;
  static InProcessMember member;
  static Client client;
  static KV kv;

  @BeforeAll
  static void start() throws Exception {
    member = InProcessMember.start(dir.resolve("data"), "kv-test");
    client = Client.builder().endpoints(member.endpoint()).build();
    kv = client.getKVClient();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    member.close();
  }

  static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  static String str(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  static List<String> keys(GetResponse r) {
    return r.getKvs().stream().map(kv -> str(kv.getKey())).toList();
  }

  /**
   * Asserts the gRPC status a failed call carried: etcd's code and its exact message (jetcd 0.8
   * hands the client the grpc-java status exception as is).
   */
  static void assertEtcdError(CompletableFuture<?> f, Status.Code code, String message) {
    Throwable t = catchThrowable(() -> f.get(20, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    Status status = Status.fromThrowable(t.getCause());
    assertThat(status.getCode()).as(String.valueOf(t.getCause())).isEqualTo(code);
    assertThat(status.getDescription()).isEqualTo(message);
  }

  @Test
  void putThenGetShowsRevisionsAndVersions() throws Exception {
    PutResponse first = get(kv.put(bs("pv/a"), bs("1")));
    PutResponse second = get(kv.put(bs("pv/a"), bs("2"), PutOption.builder().withPrevKV().build()));
    assertThat(second.getHeader().getRevision()).isEqualTo(first.getHeader().getRevision() + 1);
    assertThat(second.hasPrevKv()).isTrue();
    assertThat(str(second.getPrevKv().getValue())).isEqualTo("1");
    KeyValue now = get(kv.get(bs("pv/a"))).getKvs().get(0);
    assertThat(now.getVersion()).isEqualTo(2);
    assertThat(now.getCreateRevision()).isEqualTo(first.getHeader().getRevision());
    assertThat(now.getModRevision()).isEqualTo(second.getHeader().getRevision());
    assertThat(str(now.getValue())).isEqualTo("2");
    assertThat(
            get(client
                    .getKVClient()
                    .put(bs("pv/new"), bs("x"), PutOption.builder().withPrevKV().build()))
                .hasPrevKv())
        .isFalse();
  }

  @Test
  void rangeOptions() throws Exception {
    for (String k : List.of("r/a", "r/b", "r/c", "r/d")) {
      get(kv.put(bs(k), bs("v-" + k)));
    }
    long afterB = get(kv.get(bs("r/b"))).getKvs().get(0).getModRevision();
    assertThat(keys(get(kv.get(bs("r/"), GetOption.builder().isPrefix(true).build()))))
        .containsExactly("r/a", "r/b", "r/c", "r/d");
    // [r/b, r/d)
    assertThat(keys(get(kv.get(bs("r/b"), GetOption.builder().withRange(bs("r/d")).build()))))
        .containsExactly("r/b", "r/c");
    // from-key: range_end "\0"
    GetResponse fromKey = get(kv.get(bs("r/c"), GetOption.builder().withRange(bs("\0")).build()));
    assertThat(keys(fromKey)).startsWith("r/c", "r/d");
    GetResponse limited =
        get(kv.get(bs("r/"), GetOption.builder().isPrefix(true).withLimit(2).build()));
    assertThat(keys(limited)).containsExactly("r/a", "r/b");
    assertThat(limited.isMore()).isTrue();
    assertThat(limited.getCount()).isEqualTo(4);
    GetResponse countOnly =
        get(kv.get(bs("r/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
    assertThat(countOnly.getKvs()).isEmpty();
    assertThat(countOnly.getCount()).isEqualTo(4);
    GetResponse keysOnly = get(kv.get(bs("r/a"), GetOption.builder().withKeysOnly(true).build()));
    assertThat(keysOnly.getKvs().get(0).getValue().isEmpty()).isTrue();
    GetResponse descending =
        get(
            kv.get(
                bs("r/"),
                GetOption.builder()
                    .isPrefix(true)
                    .withSortField(GetOption.SortTarget.KEY)
                    .withSortOrder(GetOption.SortOrder.DESCEND)
                    .build()));
    assertThat(keys(descending)).containsExactly("r/d", "r/c", "r/b", "r/a");
    GetResponse byMod =
        get(
            kv.get(
                bs("r/"),
                GetOption.builder()
                    .isPrefix(true)
                    .withSortField(GetOption.SortTarget.MOD)
                    .withSortOrder(GetOption.SortOrder.DESCEND)
                    .withLimit(1)
                    .build()));
    assertThat(keys(byMod)).containsExactly("r/d");
    GetResponse minMod =
        get(
            kv.get(
                bs("r/"),
                GetOption.builder().isPrefix(true).withMinModRevision(afterB + 1).build()));
    assertThat(keys(minMod)).containsExactly("r/c", "r/d");
    assertThat(minMod.getCount()).isEqualTo(4); // count ignores the filters
    GetResponse maxCreate =
        get(
            kv.get(
                bs("r/"),
                GetOption.builder().isPrefix(true).withMaxCreateRevision(afterB).build()));
    assertThat(keys(maxCreate)).containsExactly("r/a", "r/b");
    // An old revision sees the old state; the header carries the current revision.
    GetResponse atB =
        get(kv.get(bs("r/"), GetOption.builder().isPrefix(true).withRevision(afterB).build()));
    assertThat(keys(atB)).containsExactly("r/a", "r/b");
    assertThat(atB.getHeader().getRevision()).isGreaterThan(afterB);
    GetResponse serializable =
        get(kv.get(bs("r/a"), GetOption.builder().withSerializable(true).build()));
    assertThat(keys(serializable)).containsExactly("r/a");
  }

  @Test
  void deleteOptions() throws Exception {
    for (String k : List.of("d/a", "d/b", "d/c")) {
      get(kv.put(bs(k), bs(k)));
    }
    DeleteResponse one = get(kv.delete(bs("d/a"), DeleteOption.builder().withPrevKV(true).build()));
    assertThat(one.getDeleted()).isEqualTo(1);
    assertThat(str(one.getPrevKvs().get(0).getValue())).isEqualTo("d/a");
    DeleteResponse rest = get(kv.delete(bs("d/"), DeleteOption.builder().isPrefix(true).build()));
    assertThat(rest.getDeleted()).isEqualTo(2);
    assertThat(rest.getPrevKvs()).isEmpty();
    long rev = rest.getHeader().getRevision();
    DeleteResponse none = get(kv.delete(bs("d/"), DeleteOption.builder().isPrefix(true).build()));
    assertThat(none.getDeleted()).isZero();
    assertThat(none.getHeader().getRevision())
        .isEqualTo(rev); // deleting nothing does not bump the revision
    // A key deleted and put again starts over at version 1.
    get(kv.put(bs("d/a"), bs("again")));
    assertThat(get(kv.get(bs("d/a"))).getKvs().get(0).getVersion()).isEqualTo(1);
  }

  @Test
  void txnCompares() throws Exception {
    PutResponse p = get(kv.put(bs("t/k"), bs("v1")));
    long rev = p.getHeader().getRevision();
    TxnResponse ok =
        get(
            kv.txn()
                .If(
                    new Cmp(bs("t/k"), Cmp.Op.EQUAL, CmpTarget.value(bs("v1"))),
                    new Cmp(bs("t/k"), Cmp.Op.EQUAL, CmpTarget.version(1)),
                    new Cmp(bs("t/k"), Cmp.Op.EQUAL, CmpTarget.createRevision(rev)),
                    new Cmp(bs("t/k"), Cmp.Op.LESS, CmpTarget.modRevision(rev + 1)))
                .Then(
                    Op.put(bs("t/k"), bs("v2"), PutOption.DEFAULT),
                    Op.get(bs("t/k"), GetOption.DEFAULT))
                .Else(Op.put(bs("t/else"), bs("x"), PutOption.DEFAULT))
                .commit());
    assertThat(ok.isSucceeded()).isTrue();
    assertThat(ok.getPutResponses()).hasSize(1);
    // A read inside a write txn sees the txn's earlier write.
    assertThat(str(ok.getGetResponses().get(0).getKvs().get(0).getValue())).isEqualTo("v2");
    TxnResponse failed =
        get(
            kv.txn()
                .If(new Cmp(bs("t/k"), Cmp.Op.GREATER, CmpTarget.version(5)))
                .Then(Op.put(bs("t/then"), bs("x"), PutOption.DEFAULT))
                .Else(Op.delete(bs("t/k"), DeleteOption.DEFAULT))
                .commit());
    assertThat(failed.isSucceeded()).isFalse();
    assertThat(failed.getDeleteResponses().get(0).getDeleted()).isEqualTo(1);
    // Create-if-absent: create_revision == 0 is true for a missing key.
    TxnResponse create =
        get(
            kv.txn()
                .If(new Cmp(bs("t/new"), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(bs("t/new"), bs("created"), PutOption.DEFAULT))
                .commit());
    assertThat(create.isSucceeded()).isTrue();
    // A VALUE compare on a missing key is false.
    TxnResponse missing =
        get(
            kv.txn()
                .If(new Cmp(bs("t/absent"), Cmp.Op.NOT_EQUAL, CmpTarget.value(bs("x"))))
                .Then(Op.put(bs("t/absent"), bs("y"), PutOption.DEFAULT))
                .commit());
    assertThat(missing.isSucceeded()).isFalse();
  }

  @Test
  void compactionAndRevisionErrors() throws Exception {
    long r1 = get(kv.put(bs("c/k"), bs("1"))).getHeader().getRevision();
    long r2 = get(kv.put(bs("c/k"), bs("2"))).getHeader().getRevision();
    get(kv.put(bs("c/k"), bs("3")));
    get(kv.compact(r2));
    // Reading exactly at the compaction revision is allowed; below it is not.
    assertThat(
            str(
                get(kv.get(bs("c/k"), GetOption.builder().withRevision(r2).build()))
                    .getKvs()
                    .get(0)
                    .getValue()))
        .isEqualTo("2");
    assertEtcdError(
        kv.get(bs("c/k"), GetOption.builder().withRevision(r1).build()),
        Status.Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision has been compacted");
    assertEtcdError(
        kv.compact(r2),
        Status.Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision has been compacted");
    assertEtcdError(
        kv.get(bs("c/k"), GetOption.builder().withRevision(r2 + 1000).build()),
        Status.Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision is a future revision");
    assertEtcdError(
        kv.compact(r2 + 1000),
        Status.Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision is a future revision");
  }

  @Test
  void tooManyTxnOps() throws Exception {
    Op[] ops128 = new Op[128];
    Op[] ops129 = new Op[129];
    for (int i = 0; i < 129; i++) {
      Op op = Op.put(bs("ops/" + i), bs("v"), PutOption.DEFAULT);
      if (i < 128) {
        ops128[i] = op;
      }
      ops129[i] = op;
    }
    assertThat(get(kv.txn().Then(ops128).commit()).isSucceeded()).isTrue();
    assertEtcdError(
        kv.txn().Then(ops129).commit(),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: too many operations in txn request");
  }

  @Test
  void duplicateKeyInTxn() throws Exception {
    assertEtcdError(
        kv.txn()
            .Then(
                Op.put(bs("dup"), bs("1"), PutOption.DEFAULT),
                Op.put(bs("dup"), bs("2"), PutOption.DEFAULT))
            .commit(),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: duplicate key given in txn request");
    // The same key in then and else is allowed.
    assertThat(
            get(kv.txn()
                    .If(new Cmp(bs("dup"), Cmp.Op.EQUAL, CmpTarget.version(0)))
                    .Then(Op.put(bs("dup"), bs("1"), PutOption.DEFAULT))
                    .Else(Op.put(bs("dup"), bs("2"), PutOption.DEFAULT))
                    .commit())
                .isSucceeded())
        .isTrue();
  }

  @Test
  void requestTooLarge() throws Exception {
    byte[] big =
        new byte[1_600_000]; // over --max-request-bytes (1.5 MiB), under the transport ceiling
    assertEtcdError(
        kv.put(bs("big"), ByteSequence.from(big)),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: request is too large");
    byte[] fits = new byte[1_000_000];
    assertThat(get(kv.put(bs("fits"), ByteSequence.from(fits))).getHeader().getRevision())
        .isPositive();
  }

  @Test
  void emptyKey() throws Exception {
    assertEtcdError(
        kv.put(bs(""), bs("v")), Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
    assertEtcdError(
        kv.get(bs("")), Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
    assertEtcdError(
        kv.delete(bs("")), Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
  }
}
