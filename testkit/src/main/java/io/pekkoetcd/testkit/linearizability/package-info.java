/**
 * Linearizability of recorded client histories against an etcd KV model, as Jepsen (Knossos) and
 * Porcupine check them. Clients record into a {@link io.pekkoetcd.testkit.linearizability.History}
 * (invocation, then completion: ok with the answer, failed — certainly no effect — or unknown —
 * maybe an effect, at any time after the invocation); {@link
 * io.pekkoetcd.testkit.linearizability.LinearizabilityChecker} checks the result: per key a
 * Wing–Gong search with Lowe's memoisation over {@link
 * io.pekkoetcd.testkit.linearizability.KvModel} (put, linearizable get, delete, compare-and-set on
 * the mod revision; values, versions and revisions checked), and across keys the real-time order of
 * revisions ({@link io.pekkoetcd.testkit.linearizability.RevisionOrder}).
 *
 * <p>Contract for the workload: every put writes a value no other put writes (a value names its
 * put); every operation touches one key.
 */
package io.pekkoetcd.testkit.linearizability;
