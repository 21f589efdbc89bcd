package io.pekkoetcd.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What the {@code watch} workload's watchers received ({@link WatchStreams}): {@code expected} is
 * every successful put for every watcher; {@code seconds} run from the start of the measured puts
 * to the last event received; latencies are from a put's send to its event's arrival, in
 * nanoseconds.
 */
record Delivery(int watchers, long events, long expected, double seconds, Histogram latencies) {
  double eventsPerSecond() {
    return seconds <= 0 ? 0 : events / seconds;
  }

  double percentileMillis(double p) {
    return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(p) / 1e6;
  }

  double maxMillis() {
    return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getMaxValue() / 1e6;
  }

  /** The text line's part: {@code watchers=... events=... delivery-p50=...}. */
  String text(int streams) {
    return String.format(
        Locale.ROOT,
        " watchers=%d streams=%d events=%d expected=%d events/s=%.0f delivery-p50=%.3fms"
            + " delivery-p90=%.3fms delivery-p99=%.3fms delivery-p99.9=%.3fms delivery-max=%.3fms",
        watchers,
        streams,
        events,
        expected,
        eventsPerSecond(),
        percentileMillis(50),
        percentileMillis(90),
        percentileMillis(99),
        percentileMillis(99.9),
        maxMillis());
  }

  /** The JSON object's part, from a comma on: {@code ,"watchers":...,"events":...}. */
  String json(int streams) {
    return String.format(
        Locale.ROOT,
        ",\"watchers\":%d,\"watch_streams\":%d,\"events\":%d,\"events_expected\":%d,"
            + "\"events_per_s\":%.1f,\"delivery_p50_ms\":%s,\"delivery_p90_ms\":%s,"
            + "\"delivery_p99_ms\":%s,\"delivery_p999_ms\":%s,\"delivery_max_ms\":%s",
        watchers,
        streams,
        events,
        expected,
        eventsPerSecond(),
        RunResult.jsonMillis(percentileMillis(50)),
        RunResult.jsonMillis(percentileMillis(90)),
        RunResult.jsonMillis(percentileMillis(99)),
        RunResult.jsonMillis(percentileMillis(99.9)),
        RunResult.jsonMillis(maxMillis()));
  }
}
