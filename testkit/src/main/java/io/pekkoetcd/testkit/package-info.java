/**
 * Test support shared by the modules' test suites. {@code io.pekkoetcd.testkit.raftsim} holds the
 * seeded simulation of raft-core clusters (network, crashes, safety and liveness checks); see
 * docs/architecture.md §6. {@code io.pekkoetcd.testkit.watch.WatchChecker} checks what a watcher
 * received against the recorded write history by etcd's watch guarantees (ordered, unique, atomic,
 * reliable, resumable, prevKV, isCreate).
 */
package io.pekkoetcd.testkit;
