/**
 * Benchmarks: load generators that run the same workload against pekko-etcd and real etcd and
 * report throughput and latency percentiles (and server CPU seconds per request and RSS). Nothing
 * here asserts speed: numbers are for reading side by side.
 *
 * <p>{@link io.pekkoetcd.bench.LoadGen} is the driver for request load, shaped like etcd's {@code
 * tools/benchmark} ({@code put}, {@code range}, {@code txn-put}, the watch fan-out {@code watch}
 * and {@code lease-keepalive}; {@code --conns}, {@code --clients}, {@code --total} or {@code
 * --seconds}, {@code --put-rate}). It calls etcd's KV service through plain grpc-java ({@link
 * io.pekkoetcd.bench.EtcdCalls}: method descriptors over the {@code protocol} module's messages),
 * one channel per connection, each {@link io.pekkoetcd.bench.ClientLoop} sending its next request
 * from the previous response's callback, so the generator holds no thread per client and is not
 * what limits the rate. The watch workload's watchers ({@link io.pekkoetcd.bench.WatchStreams})
 * share Watch streams and read the delivery latency off the send time stamped into each value.
 * Check it against real etcd before trusting a comparison.
 *
 * <p>{@link io.pekkoetcd.bench.PutBench} and {@link io.pekkoetcd.bench.WatchLoad} go through jetcd,
 * the Java client users have: against the same etcd in the same minutes it reached 1,500–1,900
 * puts/s at one client and 8,300–9,200/s at 100 clients (near 690/s at one client on a busy
 * machine), so use it for watch delivery and client-path checks, not for server throughput.
 */
package io.pekkoetcd.bench;
