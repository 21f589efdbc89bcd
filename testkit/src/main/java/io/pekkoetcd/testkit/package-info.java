/**
 * Test support shared by the modules' test suites (main sources, so any module's tests can use it;
 * it never depends on {@code server}).
 *
 * <ul>
 *   <li>{@code io.pekkoetcd.testkit.raftsim}: the seeded simulation of raft-core clusters (network,
 *       crashes, safety and liveness checks); see docs/architecture.md §6.
 *   <li>{@code io.pekkoetcd.testkit.watch.WatchChecker}: checks what a watcher received against the
 *       recorded write history by etcd's watch guarantees (ordered, unique, atomic, reliable,
 *       resumable, prevKV, isCreate).
 *   <li>{@code io.pekkoetcd.testkit.linearizability}: a recorder of concurrent client histories (ok
 *       / failed / unknown outcomes) and a linearizability checker with an etcd KV model (per-key
 *       Wing–Gong/Lowe search, revisions checked across keys).
 *   <li>{@code io.pekkoetcd.testkit.cluster}: {@code LocalCluster} runs three members through
 *       {@code deploy/local-cluster.sh} and looks at them with etcdctl; {@code Poll} waits for a
 *       condition with a deadline.
 *   <li>{@code io.pekkoetcd.testkit.process}: a pekko-etcd member ({@code ServerProcess}, which
 *       needs the server module on the caller's class path) or real etcd ({@code RealEtcd}) as an
 *       OS process; free loopback {@code Ports}; etcd's one-member {@code EtcdFlags}.
 *   <li>{@code io.pekkoetcd.testkit.etcdctl}: the real {@code etcdctl} binary, one command ({@code
 *       Etcdctl}) or a running {@code watch} ({@code EtcdctlWatch}).
 *   <li>{@code io.pekkoetcd.testkit.wire}: raw gRPC Watch streams with etcd's own messages ({@code
 *       WireWatchStream}) and the seeded watch workload behind the watch-guarantee tests ({@code
 *       WatchWorkload}).
 * </ul>
 *
 * The harness packages need jetcd (and so grpc-java), Jackson and AssertJ, which this module
 * declares optional: a module using them declares them too.
 */
package io.pekkoetcd.testkit;
