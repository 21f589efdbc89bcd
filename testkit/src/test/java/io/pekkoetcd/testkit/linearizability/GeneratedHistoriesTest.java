package io.pekkoetcd.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.linearizability.Operation.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checker on histories a correct store produced (so: linearizable, with unknown outcomes) and
 * on the same histories with one stale read swapped in: accepted, then rejected, within its budget.
 */
class GeneratedHistoriesTest {
  @Test
  void historiesOfACorrectStoreAreLinearizable() {
    for (long seed = 1; seed <= 30; seed++) {
      List<Operation> h = SimulatedStore.history(seed, 5, 80, 3, 0.1);
      LinearizabilityChecker.Report r = LinearizabilityChecker.check(h, Duration.ofSeconds(20));
      assertThat(r.violations()).as("seed %d: %s", seed, r).isEmpty();
    }
  }

  @Test
  void aLargeHistoryIsCheckedQuickly() {
    List<Operation> h = SimulatedStore.history(42, 10, 500, 10, 0.02);
    LinearizabilityChecker.Report r = LinearizabilityChecker.check(h, Duration.ofSeconds(30));
    System.out.println("GeneratedHistoriesTest large history: " + r);
    assertThat(r.violations()).isEmpty();
    assertThat(r.took()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void swappingTwoReadsIntoAStaleOneIsCaught() {
    int caught = 0;
    for (long seed = 1; seed <= 30; seed++) {
      List<Operation> h = new ArrayList<>(SimulatedStore.history(seed, 5, 80, 3, 0.1));
      if (swapIntoStaleRead(h)) {
        LinearizabilityChecker.Report r = LinearizabilityChecker.check(h, Duration.ofSeconds(20));
        assertThat(r.linearizable()).as("seed %d", seed).isFalse();
        caught++;
      }
    }
    assertThat(caught).as("histories with two reads to swap").isGreaterThan(20);
  }

  /**
   * Finds gets g1 before g2 (in real time) of one key that saw different puts, and swaps their
   * answers: g2 then reads what g1's put overwrote, after g1 saw the newer one.
   */
  private static boolean swapIntoStaleRead(List<Operation> h) {
    for (int i = 0; i < h.size(); i++) {
      Operation g1 = h.get(i);
      if (!isReadOfAValue(g1)) {
        continue;
      }
      for (int j = 0; j < h.size(); j++) {
        Operation g2 = h.get(j);
        if (isReadOfAValue(g2)
            && g1.precedes(g2)
            && g1.input().key().equals(g2.input().key())
            && kv(g1).modRevision() < kv(g2).modRevision()) {
          h.set(i, with(g1, g2.output()));
          h.set(j, with(g2, g1.output()));
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isReadOfAValue(Operation o) {
    return o.outcome() == Outcome.OK && o.output() instanceof KvOutput.GetOk g && g.kv() != null;
  }

  private static KvOutput.Kv kv(Operation o) {
    return ((KvOutput.GetOk) o.output()).kv();
  }

  private static Operation with(Operation o, KvOutput output) {
    return new Operation(
        o.id(), o.client(), o.input(), o.outcome(), output, o.invoked(), o.completed());
  }
}
