/**
 * The scenarios: each starts a fresh cluster of member JVMs, runs concurrent clients recording a
 * history, injects its faults (partitions, kill -9, pauses), heals, and checks convergence, that no
 * acknowledged write is lost and that the history is linearizable. Each prints a {@code MULTI-JVM
 * REPORT} line (operations, faults, recovery times, checker time).
 */
package io.pekkoetcd.multijvm.scenarios;
