/**
 * One member's metrics ({@link io.pekkoetcd.actors.metrics.MemberMetrics}, a Pekko extension
 * holding a Prometheus registry per actor system): etcd 3.4's server, disk, MVCC and network series
 * under etcd's names, types and labels; per-actor series for every actor kind ({@link
 * io.pekkoetcd.actors.metrics.ActorKinds}): mailbox depth ({@link
 * io.pekkoetcd.actors.metrics.CountingMailbox}, the member's default mailbox), processing time by
 * message type, messages processed, failures and restarts ({@link
 * io.pekkoetcd.actors.metrics.ActorMetrics}, an interceptor the guardian wraps around each actor it
 * spawns), dead letters ({@link io.pekkoetcd.actors.metrics.DeadLetterCounter}); WAL batch sizes
 * and peer reachability; and the process and JVM series of Prometheus' client.
 *
 * <p>Contract: the hot path only increments counters and observes histograms through label children
 * bound once (no allocation per message); gauges mirroring actor state are set just before a scrape
 * ({@code io.pekkoetcd.actors.MetricsScrape}). Nothing here decides anything: a member behaves the
 * same with {@code pekko-etcd.metrics.actor-metrics = off}. What each series means and which alerts
 * to set: docs/observability.md.
 */
package io.pekkoetcd.actors.metrics;
