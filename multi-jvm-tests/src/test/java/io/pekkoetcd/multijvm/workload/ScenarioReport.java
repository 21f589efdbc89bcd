package io.pekkoetcd.multijvm.workload;

import io.pekkoetcd.testkit.linearizability.History;
import io.pekkoetcd.testkit.linearizability.LinearizabilityChecker;
import java.util.List;
import java.util.Map;

/**
 * What one scenario did and found, as the issue asks it reported: operations by outcome, the
 * faults, seconds from the first fault to the first write acknowledged after it and from the heal
 * to every member serving a linearizable read, the checker's verdict and time, and the watch
 * guarantees' violations.
 *
 * @param firstWriteAfterFaultSeconds NaN if no write invoked after the fault was acknowledged
 */
public record ScenarioReport(
    String scenario,
    History.Counts operations,
    List<String> faults,
    double firstWriteAfterFaultSeconds,
    double healToServiceSeconds,
    long convergedAtRevision,
    List<String> lostWrites,
    LinearizabilityChecker.Report linearizability,
    int serializableReads,
    List<String> serializableMismatches,
    List<String> watchViolations,
    long watchEvents,
    int watchStreams,
    Map<String, Long> clientErrors,
    double wallSeconds) {

  /** One line per scenario for the test log and the summary file. */
  public String line() {
    return String.format(
        "%s: ops %s; faults %s; fault→first write %.2f s; heal→all serving %.2f s; converged at"
            + " revision %d; lost acknowledged writes %d; %s in %d ms; serializable reads %d, %d not in the"
            + " history; watches: %d events on %d"
            + " streams, %d violations; client errors %s; wall %.1f s",
        scenario,
        operations,
        faults,
        firstWriteAfterFaultSeconds,
        healToServiceSeconds,
        convergedAtRevision,
        lostWrites.size(),
        linearizability.linearizable() ? "linearizable" : "NOT linearizable",
        linearizability.took().toMillis(),
        serializableReads,
        serializableMismatches.size(),
        watchEvents,
        watchStreams,
        watchViolations.size(),
        clientErrors,
        wallSeconds);
  }
}
