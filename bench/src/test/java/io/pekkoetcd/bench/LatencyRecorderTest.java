package io.pekkoetcd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
  @Test
  void percentilesByNearestRank() {
    LatencyRecorder r = new LatencyRecorder(1000);
    for (int i = 1; i <= 100; i++) {
      r.record(i * 1_000_000L);
    }
    assertThat(r.percentilesMillis(50, 99, 100)).containsExactly(50.0, 99.0, 100.0);
  }

  @Test
  void boundedCapacityStillCounts() {
    LatencyRecorder r = new LatencyRecorder(2);
    r.record(3_000_000L);
    r.record(1_000_000L);
    r.record(9_000_000L);
    assertThat(r.count()).isEqualTo(3);
    assertThat(r.percentilesMillis(100)).containsExactly(3.0);
  }

  @Test
  void optionsDefaultAndBounds() {
    PutBench.Options o = PutBench.Options.parse(new String[] {"--clients", "100"});
    assertThat(o.conns()).isEqualTo(8);
    assertThat(o.seconds()).isEqualTo(10);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PutBench.Options.parse(new String[] {"--seconds", "1000"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
