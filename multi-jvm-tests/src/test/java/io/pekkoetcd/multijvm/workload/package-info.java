/**
 * Clients and verdicts: {@code KvClients} (concurrent, bounded clients spread over the members,
 * recording a testkit {@code History}), {@code ScenarioRun} (one scenario: cluster, clients,
 * faults, heal, checks), {@code AcknowledgedWrites} (no acknowledged write lost) and {@code
 * ScenarioReport} (what the issue asks reported per scenario).
 */
package io.pekkoetcd.multijvm.workload;
