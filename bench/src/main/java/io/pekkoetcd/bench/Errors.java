package io.pekkoetcd.bench;

import io.grpc.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed requests by gRPC status code, with the first description seen for each code. */
final class Errors {
  private final Map<Status.Code, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<Status.Code, String> firstDescription = new ConcurrentHashMap<>();

  void count(Status status) {
    counts.computeIfAbsent(status.getCode(), c -> new LongAdder()).increment();
    firstDescription.putIfAbsent(
        status.getCode(), status.getDescription() == null ? "" : status.getDescription());
  }

  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** {@code CODE=count (first description)} per code, in code order. */
  Map<String, String> summary() {
    Map<String, String> out = new TreeMap<>();
    counts.forEach(
        (code, n) -> out.put(code.name(), n.sum() + " (" + firstDescription.get(code) + ")"));
    return out;
  }
}
