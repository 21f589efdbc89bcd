package io.pekkoetcd.testkit.linearizability;

import static io.pekkoetcd.testkit.linearizability.Ops.kv;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checker accepts linearizable histories (also with unknown outcomes) and rejects the known bad
 * ones: a stale read, a lost write, reordered revisions, a read of a value at the wrong revision or
 * version, two compare-and-sets that both won.
 */
class LinearizabilityCheckerTest {
  private static LinearizabilityChecker.Report check(Ops ops) {
    return LinearizabilityChecker.check(ops.list(), Duration.ofSeconds(10));
  }

  @Test
  void aSequentialHistoryOfEveryOperationIsLinearizable() {
    Ops ops =
        new Ops()
            .put(0, "a", "1", 2, 0, 1)
            .get(0, "a", kv("1", 2, 2, 1), 2, 2, 3)
            .put(0, "a", "2", 3, 4, 5)
            .get(0, "a", kv("2", 3, 2, 2), 3, 6, 7)
            .cas(0, "a", 3, "3", true, 4, 8, 9)
            .cas(0, "a", 3, "x", false, 4, 10, 11)
            .delete(0, "a", 1, 5, 12, 13)
            .get(0, "a", null, 5, 14, 15)
            .delete(0, "a", 0, 5, 16, 17)
            .cas(0, "a", 0, "4", true, 6, 18, 19)
            .get(0, "a", kv("4", 6, 6, 1), 6, 20, 21);
    LinearizabilityChecker.Report r = check(ops);
    assertThat(r.violations()).isEmpty();
    assertThat(r.operations()).isEqualTo(11);
  }

  @Test
  void concurrentOperationsMayTakeEffectInEitherOrder() {
    // Two overlapping puts; reads that overlap both may see either, but agree afterwards.
    Ops ops =
        new Ops()
            .put(0, "a", "1", 3, 0, 10)
            .put(1, "a", "2", 2, 0, 10)
            .get(2, "a", kv("2", 2, 2, 1), 2, 1, 2)
            .get(2, "a", kv("1", 3, 2, 2), 3, 11, 12);
    assertThat(check(ops).violations()).isEmpty();
  }

  @Test
  void aStaleReadIsRejected() {
    Ops ops =
        new Ops()
            .put(0, "a", "1", 2, 0, 1)
            .put(0, "a", "2", 3, 2, 3)
            .get(1, "a", kv("1", 2, 2, 1), 3, 4, 5);
    LinearizabilityChecker.Report r = check(ops);
    assertThat(r.linearizable()).isFalse();
    assertThat(r.violations()).anyMatch(v -> v.startsWith("key a: not linearizable"));
  }

  @Test
  void aLostWriteIsRejected() {
    Ops acknowledgedThenMissing = new Ops().put(0, "a", "1", 2, 0, 1).get(1, "a", null, 2, 2, 3);
    assertThat(check(acknowledgedThenMissing).linearizable()).isFalse();
    Ops deleteUndone =
        new Ops()
            .put(0, "a", "1", 2, 0, 1)
            .delete(0, "a", 1, 3, 2, 3)
            .get(1, "a", kv("1", 2, 2, 1), 3, 4, 5);
    assertThat(check(deleteUndone).linearizable()).isFalse();
  }

  @Test
  void reorderedRevisionsAreRejected() {
    Ops acrossKeys = new Ops().put(0, "a", "1", 5, 0, 1).put(1, "b", "1", 4, 2, 3);
    assertThat(check(acrossKeys).violations()).anyMatch(v -> v.startsWith("revision order"));
    Ops readBehindAWrite = new Ops().put(0, "a", "1", 5, 0, 1).get(1, "b", null, 4, 2, 3);
    assertThat(check(readBehindAWrite).violations()).anyMatch(v -> v.startsWith("revision order"));
    Ops sameKey =
        new Ops()
            .put(0, "a", "1", 5, 0, 10)
            .put(1, "a", "2", 4, 0, 10)
            .get(2, "a", kv("2", 4, 5, 2), 5, 11, 12);
    assertThat(check(sameKey).violations()).anyMatch(v -> v.startsWith("key a"));
    Ops twoAtOneRevision = new Ops().put(0, "a", "1", 5, 0, 10).put(1, "b", "1", 5, 0, 10);
    assertThat(check(twoAtOneRevision).violations()).anyMatch(v -> v.startsWith("two writes"));
  }

  @Test
  void aReadMustReportThePutsRevisionsAndVersion() {
    Ops wrongMod = new Ops().put(0, "a", "1", 2, 0, 1).get(1, "a", kv("1", 3, 3, 1), 3, 2, 3);
    assertThat(check(wrongMod).linearizable()).isFalse();
    Ops wrongVersion = new Ops().put(0, "a", "1", 2, 0, 1).get(1, "a", kv("1", 2, 2, 2), 2, 2, 3);
    assertThat(check(wrongVersion).linearizable()).isFalse();
    Ops headerBehindMod =
        new Ops().put(0, "a", "1", 2, 0, 1).get(1, "a", kv("1", 2, 2, 1), 1, 2, 3);
    assertThat(check(headerBehindMod).linearizable()).isFalse();
  }

  @Test
  void twoCompareAndSetsOnOneRevisionCannotBothWin() {
    Ops ops =
        new Ops()
            .put(0, "a", "1", 2, 0, 1)
            .cas(1, "a", 2, "x", true, 3, 2, 10)
            .cas(2, "a", 2, "y", true, 4, 2, 10);
    assertThat(check(ops).linearizable()).isFalse();
    Ops oneWins =
        new Ops()
            .put(0, "a", "1", 2, 0, 1)
            .cas(1, "a", 2, "x", true, 3, 2, 10)
            .cas(2, "a", 2, "y", false, 3, 2, 10);
    assertThat(check(oneWins).violations()).isEmpty();
  }

  @Test
  void anUnknownWriteMayHaveHappenedAtARevisionAReadReveals() {
    Ops seen =
        new Ops()
            .put(0, "a", "1", 2, 0, 1)
            .unknown(1, new KvInput.Put("a", "2"), 2)
            .get(2, "a", kv("2", 7, 2, 2), 7, 10, 11)
            .get(2, "a", kv("2", 7, 2, 2), 7, 12, 13);
    assertThat(check(seen).violations()).isEmpty();
    Ops neverSeen =
        new Ops()
            .put(0, "a", "1", 2, 0, 1)
            .unknown(1, new KvInput.Put("a", "2"), 2)
            .get(2, "a", kv("1", 2, 2, 1), 2, 10, 11);
    assertThat(check(neverSeen).violations()).isEmpty();
    Ops seenThenUndone =
        new Ops()
            .put(0, "a", "1", 2, 0, 1)
            .unknown(1, new KvInput.Put("a", "2"), 2)
            .get(2, "a", kv("2", 7, 2, 2), 7, 10, 11)
            .get(2, "a", kv("1", 2, 2, 1), 7, 12, 13);
    assertThat(check(seenThenUndone).linearizable()).isFalse();
    Ops seenAtTwoRevisions =
        new Ops()
            .unknown(1, new KvInput.Put("a", "2"), 0)
            .get(2, "a", kv("2", 7, 7, 1), 7, 10, 11)
            .get(2, "a", kv("2", 8, 8, 1), 8, 12, 13);
    assertThat(check(seenAtTwoRevisions).linearizable()).isFalse();
    Ops seenBeforeInvoked =
        new Ops().get(2, "a", kv("2", 7, 7, 1), 7, 0, 1).unknown(1, new KvInput.Put("a", "2"), 2);
    assertThat(check(seenBeforeInvoked).linearizable()).isFalse();
  }

  @Test
  void failedOperationsAreLeftOut() {
    Ops ops =
        new Ops()
            .failed(0, new KvInput.Put("a", "1"), 0, 1)
            .get(1, "a", null, 1, 2, 3)
            .failed(1, new KvInput.Get("a"), 4, 5);
    LinearizabilityChecker.Report r = check(ops);
    assertThat(r.violations()).isEmpty();
    assertThat(r.operations()).isEqualTo(1);
  }

  @Test
  void aViolationNamesTheKeyAndItsOperations() {
    Ops ops =
        new Ops()
            .put(0, "a", "1", 2, 0, 1)
            .put(0, "a", "2", 3, 2, 3)
            .get(1, "a", kv("1", 2, 2, 1), 3, 4, 5);
    List<String> v = check(ops).violations();
    assertThat(v).hasSize(1);
    assertThat(v.get(0)).contains("Get[key=a]").contains("Put[key=a, value=2]");
  }
}
