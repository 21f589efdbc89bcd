package io.pekkoetcd.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One {@link LoadGen} run's outcome and how it is printed: the endpoints the connections went to
 * (the leader alone with {@code --target-leader}); CPU in clock ticks, the generator's own ({@code
 * clientTicks}) too; what the watchers received for {@code watch}, else {@code null}.
 */
record RunResult(
    LoadOptions options,
    List<LoadOptions.Endpoint> endpoints,
    long requests,
    long errors,
    Map<String, String> errorSummary,
    double seconds,
    Histogram latencies,
    ServerUsage before,
    ServerUsage after,
    long clientTicks,
    Delivery delivery) {

  double rate() {
    return requests / seconds;
  }

  double percentileMillis(double p) {
    return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(p) / 1e6;
  }

  double maxMillis() {
    return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getMaxValue() / 1e6;
  }

  double serverCpuMillisPerRequest() {
    long ticks = after.cpuTicks() - before.cpuTicks();
    return requests == 0 ? 0 : ticks * 1000.0 / ServerUsage.CLOCK_TICKS_PER_SECOND / requests;
  }

  double serverCpuMillisPerEvent() {
    long ticks = after.cpuTicks() - before.cpuTicks();
    long events = delivery == null ? 0 : delivery.events();
    return events == 0 ? 0 : ticks * 1000.0 / ServerUsage.CLOCK_TICKS_PER_SECOND / events;
  }

  double clientCpuMillisPerRequest() {
    return requests == 0 ? 0 : clientTicks * 1000.0 / ServerUsage.CLOCK_TICKS_PER_SECOND / requests;
  }

  String text() {
    LoadOptions o = options;
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s workload=%s conns=%d clients=%d requests=%d errors=%d rate=%.0f/s"
                    + " p50=%.3fms p90=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms"
                    + " client-cpu=%.3fms/request",
                o.label().isEmpty() ? endpoints.get(0).toString() : o.label(),
                o.workload(),
                o.conns(),
                o.clients(),
                requests,
                errors,
                rate(),
                percentileMillis(50),
                percentileMillis(90),
                percentileMillis(99),
                percentileMillis(99.9),
                maxMillis(),
                clientCpuMillisPerRequest()));
    if (delivery != null) {
      s.append(delivery.text(o.watchStreams()));
    }
    if (!o.pids().isEmpty()) {
      s.append(
          String.format(
              Locale.ROOT,
              " server-cpu=%.3fms/request server-rss=%dMiB",
              serverCpuMillisPerRequest(),
              after.rssKib() / 1024));
      if (delivery != null) {
        s.append(String.format(Locale.ROOT, " server-cpu=%.4fms/event", serverCpuMillisPerEvent()));
      }
    }
    return s.toString();
  }

  String json() {
    LoadOptions o = options;
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "{\"label\":\"%s\",\"workload\":\"%s\",\"endpoints\":\"%s\",\"conns\":%d,"
                    + "\"clients\":%d,\"requests\":%d,\"errors\":%d,\"seconds\":%.3f,"
                    + "\"rate\":%.1f,\"p50_ms\":%s,\"p90_ms\":%s,\"p99_ms\":%s,"
                    + "\"p999_ms\":%s,\"max_ms\":%s,\"client_cpu_ms_per_request\":%.4f",
                o.label().replace("\\", "\\\\").replace("\"", "\\\""),
                o.workload(),
                String.join(",", endpoints.stream().map(Object::toString).toList()),
                o.conns(),
                o.clients(),
                requests,
                errors,
                seconds,
                rate(),
                jsonMillis(percentileMillis(50)),
                jsonMillis(percentileMillis(90)),
                jsonMillis(percentileMillis(99)),
                jsonMillis(percentileMillis(99.9)),
                jsonMillis(maxMillis()),
                clientCpuMillisPerRequest()));
    if (delivery != null) {
      s.append(delivery.json(o.watchStreams()));
    }
    if (!o.pids().isEmpty()) {
      s.append(
          String.format(
              Locale.ROOT,
              ",\"server_cpu_ms_per_request\":%.4f,\"server_rss_mib\":%d",
              serverCpuMillisPerRequest(),
              after.rssKib() / 1024));
      if (delivery != null) {
        s.append(
            String.format(Locale.ROOT, ",\"cpu_ms_per_event\":%.5f", serverCpuMillisPerEvent()));
      }
    }
    return s.append('}').toString();
  }

  /** A latency for JSON: {@code null} when there were no samples (JSON has no NaN). */
  static String jsonMillis(double millis) {
    return Double.isNaN(millis) ? "null" : String.format(Locale.ROOT, "%.4f", millis);
  }
}
