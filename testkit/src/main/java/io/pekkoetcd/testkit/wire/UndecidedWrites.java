package io.pekkoetcd.testkit.wire;

import static io.pekkoetcd.testkit.wire.WatchWorkload.bs;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.Status;
import io.pekkoetcd.testkit.watch.WatchChecker;
import io.pekkoetcd.testkit.watch.WatchChecker.Change;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link WatchWorkload}'s writes whose outcome their writer did not learn (the call failed, so
 * the write may or may not have been applied), and their resolution before the check: each hole in
 * the checker's history is filled with the undecided write that made it, found by what changed in
 * the store at that revision (a Range at it and at the one before). Writers add concurrently;
 * {@link #resolve} runs once they are done.
 */
final class UndecidedWrites {
  /** A write whose outcome its writer did not learn. */
  private record Undecided(List<Change> changes, Status status) {}

  private final List<Undecided> undecided = new CopyOnWriteArrayList<>();
  private final WorkloadMembers members;
  private final WatchChecker checker;

  UndecidedWrites(WorkloadMembers members, WatchChecker checker) {
    this.members = members;
    this.checker = checker;
  }

  /** A write of {@code changes} failed with {@code status}. */
  void add(List<Change> changes, Status status) {
    undecided.add(new Undecided(changes, status));
  }

  /** How many are still undecided. */
  int size() {
    return undecided.size();
  }

  /** Print each one's status. */
  void print() {
    undecided.forEach(u -> System.out.println("undecided write: " + u.status()));
  }

  /**
   * Fill the history's holes from {@code firstRevision} up to {@code last} with the undecided
   * writes that made them, found by what changed in the store at each such revision; a hole no
   * undecided write explains is a violation. A resolved write is recorded and no longer undecided.
   */
  List<String> resolve(long firstRevision, long last, long deadline) throws InterruptedException {
    List<String> violations = new ArrayList<>();
    for (long rev : checker.holes(firstRevision, last)) {
      Map<ByteString, KeyValue> before = snapshot(rev - 1, deadline);
      Map<ByteString, KeyValue> after = snapshot(rev, deadline);
      Set<Change> changed = new HashSet<>();
      after.forEach(
          (k, v) -> {
            if (v.getModRevision() == rev) {
              changed.add(Change.put(k, v.getValue()));
            }
          });
      before.keySet().stream()
          .filter(k -> !after.containsKey(k))
          .forEach(k -> changed.add(Change.delete(k)));
      Undecided match =
          undecided.stream()
              .filter(u -> new HashSet<>(u.changes()).equals(changed))
              .findFirst()
              .orElse(null);
      if (match == null) {
        violations.add("revision " + rev + " was written by no writer: " + changed);
      } else {
        undecided.remove(match);
        checker.record(rev, match.changes());
      }
    }
    return violations;
  }

  private Map<ByteString, KeyValue> snapshot(long rev, long deadline) throws InterruptedException {
    Map<ByteString, KeyValue> out = new HashMap<>();
    for (KeyValue x :
        members
            .range(
                RangeRequest.newBuilder()
                    .setKey(bs("k/"))
                    .setRangeEnd(bs("k0"))
                    .setRevision(rev)
                    .build(),
                deadline)
            .getKvsList()) {
      out.put(x.getKey(), x);
    }
    return out;
  }
}
