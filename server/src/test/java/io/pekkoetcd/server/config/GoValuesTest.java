package io.pekkoetcd.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoValuesTest {

  static Stream<Arguments> durations() {
    return Stream.of(
        Arguments.of("0", Duration.ZERO),
        Arguments.of("0s", Duration.ZERO),
        Arguments.of("5s", Duration.ofSeconds(5)),
        Arguments.of("2h", Duration.ofHours(2)),
        Arguments.of("10m", Duration.ofMinutes(10)),
        Arguments.of("100ms", Duration.ofMillis(100)),
        Arguments.of("1h30m", Duration.ofMinutes(90)),
        Arguments.of("1.5h", Duration.ofMinutes(90)),
        Arguments.of("250us", Duration.ofNanos(250_000)),
        Arguments.of("-3s", Duration.ofSeconds(-3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void durations(String text, Duration expected) throws GoValues.BadValue {
    assertThat(GoValues.parseDuration(text)).isEqualTo(expected);
  }

  static Stream<Arguments> badDurations() {
    return Stream.of(
        Arguments.of("", "time: invalid duration \"\""),
        Arguments.of("5", "time: missing unit in duration \"5\""),
        Arguments.of("5d", "time: unknown unit \"d\" in duration \"5d\""),
        Arguments.of("s", "time: invalid duration \"s\""),
        Arguments.of("1..2s", "time: invalid duration \"1..2s\""));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource
  void badDurations(String text, String message) {
    assertThatThrownBy(() -> GoValues.parseDuration(text)).hasMessage(message);
  }

  static Stream<Arguments> bools() {
    return Stream.of(
            "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False")
        .map(s -> Arguments.of(s, "1tTTRUEtrueTrue".contains(s)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void bools(String text, boolean expected) throws GoValues.BadValue {
    assertThat(GoValues.parseBool(text)).isEqualTo(expected);
  }
}
