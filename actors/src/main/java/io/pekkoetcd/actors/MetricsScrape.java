package io.pekkoetcd.actors;

import io.pekkoetcd.actors.metrics.MemberMetrics;
import io.pekkoetcd.watch.WatchHub;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * One scrape of a member's metrics: first the gauges that mirror actor state are set from the
 * actors' own figures (the Raft node's leader and commit index, the KV actor's applied index,
 * revisions, keys and store size, the watch hub's streams and watchers), asked for as any status
 * request is, then the registry is collected. So the hot path keeps none of these gauges up to
 * date. An actor that does not answer within the timeout leaves its gauges as they were (the scrape
 * still answers: a stuck member must still be observable).
 */
final class MetricsScrape {
  private final ActorSystem<?> system;
  private final MemberConfig config;
  private final PendingRequests pending;
  private final MemberMetrics metrics;
  private final ActorRef<RaftNode.Command> raft;
  private final ActorRef<KvActor.Command> kv;
  private final ActorRef<WatchHub.Command> watchHub;
  private final Duration timeout;

  MetricsScrape(
      ActorSystem<?> system,
      MemberConfig config,
      PendingRequests pending,
      ActorRef<RaftNode.Command> raft,
      ActorRef<KvActor.Command> kv,
      ActorRef<WatchHub.Command> watchHub) {
    this.system = system;
    this.config = config;
    this.pending = pending;
    this.metrics = MemberMetrics.get(system);
    this.raft = raft;
    this.kv = kv;
    this.watchHub = watchHub;
    this.timeout = Duration.ofSeconds(2);
    metrics.serverId.labelValues(Long.toHexString(config.memberId())).set(1);
    metrics.serverVersion.labelValues(ServerVersion.SERVER).set(1);
    metrics.clusterVersion.labelValues(ServerVersion.CLUSTER).set(1);
  }

  CompletionStage<MetricSnapshots> scrape() {
    CompletableFuture<Void> raftDone =
        AskPattern.ask(raft, RaftNode.GetStatus::new, timeout, system.scheduler())
            .thenAccept(this::raftFigures)
            .exceptionally(e -> null)
            .toCompletableFuture();
    CompletableFuture<Void> kvDone =
        AskPattern.ask(kv, KvActor.GetStatus::new, timeout, system.scheduler())
            .thenAccept(this::kvFigures)
            .exceptionally(e -> null)
            .toCompletableFuture();
    CompletableFuture<Void> watchDone =
        AskPattern.ask(watchHub, WatchHub.GetStatus::new, timeout, system.scheduler())
            .thenAccept(
                w -> {
                  metrics.watchStreams.set(w.streams());
                  metrics.watchers.set(w.watchers());
                })
            .exceptionally(e -> null)
            .toCompletableFuture();
    metrics.proposalsPending.set(pending.size());
    return CompletableFuture.allOf(raftDone, kvDone, watchDone)
        .thenApply(done -> metrics.registry().scrape());
  }

  private void raftFigures(RaftNode.RaftStatus r) {
    metrics.hasLeader.set(r.leader() == 0 ? 0 : 1);
    metrics.isLeader.set(r.leader() == config.memberId() ? 1 : 0);
    metrics.isLearner.set(0);
    metrics.proposalsCommitted.set(r.commitIndex());
  }

  private void kvFigures(KvActor.KvStatus k) {
    metrics.proposalsApplied.set(k.appliedIndex());
    metrics.currentRevision.set(k.revision());
    metrics.compactRevision.set(k.compactedRevision());
    metrics.keys.set(k.keys());
    metrics.dbTotalSize.set(k.dbSizeBytes());
    metrics.debuggingDbTotalSize.set(k.dbSizeBytes());
    metrics.dbTotalSizeInUse.set(k.dbSizeInUseBytes());
  }
}
