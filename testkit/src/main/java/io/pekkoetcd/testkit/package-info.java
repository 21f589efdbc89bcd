/**
 * Test support. {@code io.pekkoetcd.testkit.watch.WatchChecker} checks what a watcher received against the recorded
 * write history by etcd's watch guarantees (ordered, unique, atomic, reliable, resumable, prevKV, isCreate). More
 * (script runner, simulated network, linearizability checker) will follow; see docs/architecture.md.
 */
package io.pekkoetcd.testkit;
