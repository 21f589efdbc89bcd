package io.pekkoetcd.multijvm.workload;

import static org.assertj.core.api.Assertions.assertThat;

/** What every scenario must show once healed. */
public final class ScenarioChecks {
  private ScenarioChecks() {}

  /**
   * The history is linearizable, no acknowledged write is lost, the watchers saw exactly the
   * written history (the members' convergence was polled for by {@link ScenarioRun#finish}), and
   * writes succeeded during the fault when a quorum remained ({@code quorumKept}).
   */
  public static void assertSafeAndLive(ScenarioReport r, boolean quorumKept) {
    assertThat(r.linearizability().violations())
        .as("%s: linearizability violations", r.scenario())
        .isEmpty();
    assertThat(r.lostWrites()).as("%s: acknowledged writes lost", r.scenario()).isEmpty();
    assertThat(r.watchViolations()).as("%s: watch guarantees", r.scenario()).isEmpty();
    assertThat(r.serializableMismatches())
        .as("%s: serializable reads that are no snapshot of the history", r.scenario())
        .isEmpty();
    assertThat(r.watchEvents()).as("%s: watch events received", r.scenario()).isPositive();
    assertThat(r.operations().ok()).as("%s: answered operations", r.scenario()).isPositive();
    if (quorumKept) {
      assertThat(r.firstWriteAfterFaultSeconds())
          .as("%s: a write acknowledged after the fault", r.scenario())
          .isFinite();
    }
  }
}
