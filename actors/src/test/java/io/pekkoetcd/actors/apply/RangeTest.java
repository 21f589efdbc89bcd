package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest.SortOrder;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest.SortTarget;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Range options against one history (revision: change): 2: a=3, 3: b=1, 4: c=2, 5: a=4, 6: d=0, 7:
 * "\xff"=x, 8: delete c. Current revision 8. Key "\xff" (shown as FF) sorts last: keys compare as
 * unsigned bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RangeTest {

  StoreFixture f;
  static final ByteString FF = ByteString.copyFrom(new byte[] {(byte) 0xff});

  @BeforeAll
  void setUp(@TempDir Path dir) {
    f = new StoreFixture(dir);
    f.put("a", "3");
    f.put("b", "1");
    f.put("c", "2");
    f.put("a", "4");
    f.put("d", "0");
    f.ok(StoreFixture.put(PutRequest.newBuilder().setKey(FF).setValue(b("x")).build()));
    f.delete("c");
    assertThat(f.store.currentRevision()).isEqualTo(8);
  }

  @AfterAll
  void tearDown() {
    f.close();
  }

  static String show(ByteString k) {
    return k.equals(FF) ? "FF" : k.toStringUtf8();
  }

  static RangeRequest.Builder all() {
    return RangeRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0"));
  }

  static Arguments row(
      String name, RangeRequest.Builder req, List<String> kvs, long count, boolean more) {
    return Arguments.of(name, req.build(), kvs, count, more);
  }

  static Stream<Arguments> ranges() {
    return Stream.of(
        row("single key", RangeRequest.newBuilder().setKey(b("a")), List.of("a=4"), 1, false),
        row("missing key", RangeRequest.newBuilder().setKey(b("c")), List.of(), 0, false),
        row(
            "[a,c)",
            RangeRequest.newBuilder().setKey(b("a")).setRangeEnd(b("c")),
            List.of("a=4", "b=1"),
            2,
            false),
        row(
            "from key b",
            RangeRequest.newBuilder().setKey(b("b")).setRangeEnd(b("\0")),
            List.of("b=1", "d=0", "FF=x"),
            3,
            false),
        row("every key", all(), List.of("a=4", "b=1", "d=0", "FF=x"), 4, false),
        row(
            "prefix a",
            RangeRequest.newBuilder().setKey(b("a")).setRangeEnd(b("b")),
            List.of("a=4"),
            1,
            false),
        row(
            "end before key",
            RangeRequest.newBuilder().setKey(b("c")).setRangeEnd(b("a")),
            List.of(),
            0,
            false),
        row(
            "end equals key",
            RangeRequest.newBuilder().setKey(b("a")).setRangeEnd(b("a")),
            List.of(),
            0,
            false),
        row("limit 2", all().setLimit(2), List.of("a=4", "b=1"), 4, true),
        row("limit 4 exact", all().setLimit(4), List.of("a=4", "b=1", "d=0", "FF=x"), 4, false),
        row(
            "limit -1 = unlimited",
            all().setLimit(-1),
            List.of("a=4", "b=1", "d=0", "FF=x"),
            4,
            false),
        row("count only", all().setCountOnly(true).setLimit(1), List.of(), 4, false),
        row("at revision 4", all().setRevision(4), List.of("a=3", "b=1", "c=2"), 3, false),
        row("at revision 1 (empty)", all().setRevision(1), List.of(), 0, false),
        row(
            "at revision 7 sees c",
            RangeRequest.newBuilder().setKey(b("c")).setRevision(7),
            List.of("c=2"),
            1,
            false),
        row(
            "value ascend",
            all().setSortOrder(SortOrder.ASCEND).setSortTarget(SortTarget.VALUE),
            List.of("d=0", "b=1", "a=4", "FF=x"),
            4,
            false),
        row(
            "mod descend",
            all().setSortOrder(SortOrder.DESCEND).setSortTarget(SortTarget.MOD),
            List.of("FF=x", "d=0", "a=4", "b=1"),
            4,
            false),
        row(
            "NONE with target CREATE = ascend",
            all().setSortTarget(SortTarget.CREATE),
            List.of("a=4", "b=1", "d=0", "FF=x"),
            4,
            false),
        row(
            "NONE with target MOD = ascend",
            all().setSortTarget(SortTarget.MOD),
            List.of("b=1", "a=4", "d=0", "FF=x"),
            4,
            false),
        row(
            "key descend",
            all().setSortOrder(SortOrder.DESCEND),
            List.of("FF=x", "d=0", "b=1", "a=4"),
            4,
            false),
        row(
            "version ascend (ties in key order)",
            all().setSortOrder(SortOrder.ASCEND).setSortTarget(SortTarget.VERSION),
            List.of("b=1", "d=0", "FF=x", "a=4"),
            4,
            false),
        row("min mod 5", all().setMinModRevision(5), List.of("a=4", "d=0", "FF=x"), 4, false),
        row("max mod 5", all().setMaxModRevision(5), List.of("a=4", "b=1"), 4, false),
        row("min create 3", all().setMinCreateRevision(3), List.of("b=1", "d=0", "FF=x"), 4, false),
        row("max create 2", all().setMaxCreateRevision(2), List.of("a=4"), 4, false),
        row(
            "limit after sort",
            all().setSortOrder(SortOrder.DESCEND).setSortTarget(SortTarget.VALUE).setLimit(1),
            List.of("FF=x"),
            4,
            true),
        row("limit after filter", all().setMinModRevision(6).setLimit(1), List.of("d=0"), 4, true),
        row(
            "limit after filter, not more",
            all().setMinModRevision(7).setLimit(1),
            List.of("FF=x"),
            4,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void range(String name, RangeRequest req, List<String> kvs, long count, boolean more)
      throws Exception {
    RangeResponse r = f.range(req);
    assertThat(
            r.getKvsList().stream()
                .map(kv -> show(kv.getKey()) + "=" + kv.getValue().toStringUtf8()))
        .containsExactlyElementsOf(kvs);
    assertThat(r.getCount()).isEqualTo(count);
    assertThat(r.getMore()).isEqualTo(more);
    assertThat(r.getHeader())
        .isEqualTo(
            io.pekkoetcd.protocol.etcdserverpb.ResponseHeader.newBuilder().setRevision(8).build());
  }

  @Test
  void keyValueFields() throws Exception {
    var a = f.get("a");
    assertThat(a.getCreateRevision()).isEqualTo(2);
    assertThat(a.getModRevision()).isEqualTo(5);
    assertThat(a.getVersion()).isEqualTo(2);
    assertThat(a.getLease()).isZero();
    var a2 = f.get("a", 2);
    assertThat(a2.getVersion()).isEqualTo(1);
    assertThat(a2.getModRevision()).isEqualTo(2);
  }

  @Test
  void keysOnlyKeepsEverythingButTheValue() throws Exception {
    RangeResponse r = f.range(RangeRequest.newBuilder().setKey(b("a")).setKeysOnly(true).build());
    assertThat(r.getKvs(0).getValue()).isEmpty();
    assertThat(r.getKvs(0).getModRevision()).isEqualTo(5);
    assertThat(r.getKvs(0).getVersion()).isEqualTo(2);
  }

  @Test
  void futureRevision() {
    assertThatThrownBy(() -> f.range(all().setRevision(9).build()))
        .isInstanceOf(MvccException.class)
        .hasMessage("FUTURE_REV");
  }

  @Test
  void paginationWithKeyPlusZero() throws Exception {
    UnaryOperator<RangeRequest.Builder> page = r -> r.setLimit(1).setRevision(8);
    RangeResponse p1 = f.range(page.apply(all()).build());
    List<String> seen = new java.util.ArrayList<>(List.of(show(p1.getKvs(0).getKey())));
    RangeResponse p = p1;
    while (p.getMore()) {
      ByteString next = p.getKvs(0).getKey().concat(b("\0"));
      p = f.range(page.apply(RangeRequest.newBuilder().setKey(next).setRangeEnd(b("\0"))).build());
      seen.add(show(p.getKvs(0).getKey()));
    }
    assertThat(seen).containsExactly("a", "b", "d", "FF");
  }
}
