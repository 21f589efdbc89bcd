package io.pekkoetcd.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.testkit.linearizability.Operation.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorder keeps clients sequential, orders by its own clock and counts outcomes. */
class HistoryTest {
  @Test
  void recordsOutcomesAndCountsPendingAsUnknown() {
    History h = new History();
    int a = h.invoke(0, new KvInput.Put("k", "1"));
    h.ok(a, new KvOutput.PutOk(2));
    int b = h.invoke(1, new KvInput.Get("k"));
    h.fail(b);
    int c = h.invoke(0, new KvInput.Put("k", "2"));
    h.unknown(c);
    h.invoke(1, new KvInput.Delete("k"));
    assertThat(h.counts()).isEqualTo(new History.Counts(1, 1, 2));
    List<Operation> ops = h.operations();
    assertThat(ops)
        .extracting(Operation::outcome)
        .containsExactly(Outcome.OK, Outcome.FAIL, Outcome.UNKNOWN, Outcome.UNKNOWN);
    assertThat(ops.get(0).precedes(ops.get(1))).isTrue();
    assertThat(ops.get(3).completed()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aClientHasOneOperationPendingAtATime() {
    History h = new History();
    h.invoke(0, new KvInput.Get("k"));
    assertThatThrownBy(() -> h.invoke(0, new KvInput.Get("k")))
        .isInstanceOf(IllegalStateException.class);
  }
}
