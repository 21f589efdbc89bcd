package io.pekkoetcd.bench;

import java.util.Arrays;

/**
 * Records request latencies (nanoseconds) from many threads into per-thread-free striped arrays and
 * reports percentiles. Bounded: at most {@code capacity} samples are kept (later ones are counted,
 * not stored).
 */
final class LatencyRecorder {
  private final long[] samples;
  private final java.util.concurrent.atomic.AtomicInteger next =
      new java.util.concurrent.atomic.AtomicInteger();

  LatencyRecorder(int capacity) {
    this.samples = new long[capacity];
  }

  void record(long nanos) {
    int i = next.getAndIncrement();
    if (i < samples.length) {
      samples[i] = nanos;
    }
  }

  int count() {
    return next.get();
  }

  /** Percentiles (0–100) of the stored samples, in milliseconds; NaN when there are none. */
  double[] percentilesMillis(double... percentiles) {
    int n = Math.min(next.get(), samples.length);
    double[] out = new double[percentiles.length];
    if (n == 0) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    for (int i = 0; i < percentiles.length; i++) {
      int rank = (int) Math.ceil(percentiles[i] / 100.0 * n) - 1;
      out[i] = sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
    }
    return out;
  }
}
