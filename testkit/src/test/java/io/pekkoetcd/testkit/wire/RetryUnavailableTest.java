package io.pekkoetcd.testkit.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryUnavailableTest {
  private static final StatusRuntimeException LEADER_CHANGED =
      Status.UNAVAILABLE.withDescription("etcdserver: leader changed").asRuntimeException();

  private static long in(long seconds) {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
  }

  @Test
  void leaderChangedIsRetriedWithTheNextAttemptNumber() throws Exception {
    List<Integer> attempts = new ArrayList<>();
    String answer =
        RetryUnavailable.until(
            in(10),
            (attempt, left) -> {
              attempts.add(attempt);
              assertThat(left).isPositive();
              if (attempt < 2) {
                throw LEADER_CHANGED;
              }
              return "read";
            });
    assertThat(answer).isEqualTo("read");
    assertThat(attempts).containsExactly(0, 1, 2);
  }

  @Test
  void otherErrorsAreThrownAtOnce() {
    List<Integer> attempts = new ArrayList<>();
    assertThatThrownBy(
            () ->
                RetryUnavailable.until(
                    in(10),
                    (attempt, left) -> {
                      attempts.add(attempt);
                      throw Status.OUT_OF_RANGE
                          .withDescription("etcdserver: mvcc: required revision has been compacted")
                          .asRuntimeException();
                    }))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("compacted");
    assertThat(attempts).containsExactly(0);
  }

  @Test
  void unavailablePastTheDeadlineIsThrown() {
    assertThatThrownBy(
            () ->
                RetryUnavailable.until(
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100),
                    (attempt, left) -> {
                      throw LEADER_CHANGED;
                    }))
        .isSameAs(LEADER_CHANGED);
  }
}
