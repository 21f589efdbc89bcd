package io.pekkoetcd.multijvm.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.multijvm.workload.ScenarioReport;
import io.pekkoetcd.multijvm.workload.ScenarioRun;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline can fail: with the test-only failpoint {@code
 * PEKKO_ETCD_FAILPOINT_SKIP_READ_INDEX} on (actors' {@code Failpoints}), linearizable reads are
 * served from the member's own store without ReadIndex, so the isolated old leader answers stale
 * values while the majority writes new ones; the leader-isolation scenario must report it.
 */
class FailpointScenarioTest {
  @Test
  void skippingReadIndexMakesTheLeaderIsolationScenarioFail() throws Exception {
    try (ScenarioRun run =
        ScenarioRun.start(
            "failpoint-skip-read-index",
            3,
            Map.of("PEKKO_ETCD_FAILPOINT_SKIP_READ_INDEX", "1"),
            70)) {
      PartitionScenariosTest.isolateTheLeader(run);
      run.hold(Duration.ofSeconds(8));
      run.heal(run.firewall()::heal);
      ScenarioReport r = run.finish();
      assertThat(r.linearizability().linearizable())
          .as("stale reads of the isolated leader are caught: %s", r.linearizability())
          .isFalse();
      assertThat(r.linearizability().violations())
          .anyMatch(v -> v.contains("not linearizable") || v.startsWith("revision order"));
    }
  }
}
