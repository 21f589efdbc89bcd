/**
 * Benchmarks: load generators that run the same workload against pekko-etcd and real etcd, through
 * real clients, and report throughput and latency percentiles (and, from {@code bin/bench-compare},
 * server CPU seconds per request). Nothing here asserts speed: numbers are for reading side by
 * side.
 */
package io.pekkoetcd.bench;
