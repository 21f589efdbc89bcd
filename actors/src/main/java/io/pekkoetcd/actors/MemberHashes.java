package io.pekkoetcd.actors;

import io.pekkoetcd.actors.CorruptionCheck.Hashed;
import io.pekkoetcd.mvcc.BackendHash;
import io.pekkoetcd.mvcc.MvccExport;
import io.pekkoetcd.protocol.etcdserverpb.HashKVResponse;
import io.pekkoetcd.protocol.etcdserverpb.HashResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's hashes beyond HashKV: Maintenance.Hash over its whole backend ({@link BackendHash},
 * read from a point-in-time export on the snapshot dispatcher, so applies go on), and etcd's
 * initial corruption check ({@code --experimental-initial-corrupt-check}) before it serves clients.
 */
final class MemberHashes {
  private static final Logger log = LoggerFactory.getLogger(MemberHashes.class);

  private final ActorSystem<?> system;
  private final MemberConfig config;
  private final PeerDirectory directory;
  private final ActorRef<KvActor.Command> kv;
  private final ActorRef<RaftNode.Command> raft;
  private final Headers headers;
  private final Duration timeout;

  MemberHashes(
      ActorSystem<?> system,
      MemberConfig config,
      PeerDirectory directory,
      ActorRef<KvActor.Command> kv,
      ActorRef<RaftNode.Command> raft,
      Headers headers,
      Duration timeout) {
    this.system = system;
    this.config = config;
    this.directory = directory;
    this.kv = kv;
    this.raft = raft;
    this.headers = headers;
    this.timeout = timeout;
  }

  /** Maintenance.Hash: the backend's hash at the export's revision. */
  CompletionStage<HashResponse> hash() {
    var blocking =
        system.dispatchers().lookup(DispatcherSelector.fromConfig(RaftNode.SNAPSHOT_DISPATCHER));
    return AskPattern.<RaftNode.Command, RaftNode.RaftStatus>ask(
            raft, RaftNode.GetStatus::new, timeout, system.scheduler())
        .thenCompose(
            status ->
                AskPattern.<KvActor.Command, KvActor.Exported>ask(
                        kv, KvActor.ExportSnapshot::new, timeout, system.scheduler())
                    .thenApplyAsync(exported -> hashOf(exported, status.term()), blocking));
  }

  private HashResponse hashOf(KvActor.Exported exported, long term) {
    if (exported.failure() != null) {
      throw new IllegalStateException("cannot export the store", exported.failure());
    }
    try (MvccExport export = exported.export()) {
      return HashResponse.newBuilder()
          .setHash(BackendHash.of(export))
          .setHeader(headers.header(export.revision(), term))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * etcd's initial corruption check, if {@code --experimental-initial-corrupt-check}: fails with
   * etcd's "… found data inconsistency with peers" if a peer's HashKV at this member's revision
   * differs at the same compact revision; peers that cannot be compared (not answering, lagging,
   * compacted further) are logged and pass, as etcd's.
   */
  CompletionStage<Void> initialCheck() {
    if (!config.maintenance().initialCorruptCheck()) {
      return CompletableFuture.completedFuture(null);
    }
    String self = Long.toHexString(config.memberId());
    log.info("{} starting initial corruption check with timeout {}", self, timeout);
    return AskPattern.<KvActor.Command, HashKVResponse>askWithStatus(
            kv, r -> new KvActor.HashKV(0, r), timeout, system.scheduler())
        .thenApply(Hashed::of)
        .thenCompose(
            local ->
                PeerHashes.collect(system, directory, config.memberId(), local.revision(), timeout)
                    .thenApply(peers -> CorruptionCheck.initial(local, peers)))
        .thenAccept(
            verdict -> {
              verdict.unchecked().forEach(w -> log.warn("{} cannot check the hash of {}", self, w));
              if (!verdict.mismatched().isEmpty()) {
                for (long peer : verdict.mismatched()) {
                  log.error("{}'s hash differs from peer {}'s", self, Long.toHexString(peer));
                }
                throw new IllegalStateException(self + " found data inconsistency with peers");
              }
              log.info("{} succeeded on initial corruption checking: no corruption", self);
            });
  }
}
