package io.pekkoetcd.testkit.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.testkit.watch.WatchChecker.Change;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker accepts exactly the right stream and names each kind of violation. */
class WatchCheckerTest {
  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static WatchChecker history() {
    WatchChecker c = new WatchChecker();
    c.record(2, List.of(Change.put(bs("a"), bs("1"))));
    c.record(3, List.of(Change.put(bs("a"), bs("2")), Change.put(bs("b"), bs("x"))));
    c.record(4, List.of(Change.delete(bs("a"))));
    return c;
  }

  static final WatchChecker.Spec ALL_WITH_PREV =
      new WatchChecker.Spec(k -> true, 2, true, false, false);

  static List<WatchResponse> correct(WatchChecker c) {
    List<WatchResponse> out = new ArrayList<>();
    c.expected(ALL_WITH_PREV, 4)
        .forEach((rev, events) -> out.add(WatchResponse.newBuilder().addAllEvents(events).build()));
    return out;
  }

  @Test
  void theExpectedStreamPasses() {
    WatchChecker c = history();
    List<WatchResponse> ok = correct(c);
    assertThat(c.check(ALL_WITH_PREV, ok, 4)).isEmpty();
    Event delete = ok.get(2).getEvents(0);
    assertThat(delete.getKv().getVersion()).isZero();
    assertThat(delete.getPrevKv().getVersion()).isEqualTo(2);
    assertThat(ok.get(0).getEvents(0).hasPrevKv()).as("a creation has no prev_kv").isFalse();
  }

  @Test
  void missingDuplicatedSplitReorderedAndWrongEventsAreReported() {
    WatchChecker c = history();
    List<WatchResponse> ok = correct(c);
    List<WatchResponse> missing = List.of(ok.get(0), ok.get(2));
    assertThat(c.check(ALL_WITH_PREV, missing, 4)).anyMatch(v -> v.startsWith("reliable"));
    List<WatchResponse> twice = List.of(ok.get(0), ok.get(1), ok.get(1), ok.get(2));
    assertThat(c.check(ALL_WITH_PREV, twice, 4)).anyMatch(v -> v.contains("unique"));
    WatchResponse r3 = ok.get(1);
    List<WatchResponse> split =
        List.of(
            ok.get(0),
            WatchResponse.newBuilder().addEvents(r3.getEvents(0)).build(),
            WatchResponse.newBuilder().addEvents(r3.getEvents(1)).build(),
            ok.get(2));
    assertThat(c.check(ALL_WITH_PREV, split, 4)).anyMatch(v -> v.startsWith("atomic"));
    List<WatchResponse> reordered = List.of(ok.get(1), ok.get(0), ok.get(2));
    assertThat(c.check(ALL_WITH_PREV, reordered, 4)).anyMatch(v -> v.startsWith("ordered"));
    Event wrongPrev = ok.get(2).getEvents(0).toBuilder().clearPrevKv().build();
    List<WatchResponse> noPrev =
        List.of(ok.get(0), ok.get(1), WatchResponse.newBuilder().addEvents(wrongPrev).build());
    assertThat(c.check(ALL_WITH_PREV, noPrev, 4)).anyMatch(v -> v.contains("prevKV"));
    Event notCreate =
        ok.get(0).getEvents(0).toBuilder()
            .setKv(ok.get(0).getEvents(0).getKv().toBuilder().setVersion(2))
            .build();
    List<WatchResponse> badCreate =
        List.of(WatchResponse.newBuilder().addEvents(notCreate).build(), ok.get(1), ok.get(2));
    assertThat(c.check(ALL_WITH_PREV, badCreate, 4)).anyMatch(v -> v.contains("isCreate"));
  }

  @Test
  void filtersAndStartRevisionShapeTheExpectation() {
    WatchChecker c = history();
    var noDelete = new WatchChecker.Spec(k -> k.equals(bs("a")), 3, false, false, true);
    assertThat(c.expected(noDelete, 4).keySet()).containsExactly(3L);
    assertThat(c.expected(noDelete, 4).get(3L)).hasSize(1);
  }
}
