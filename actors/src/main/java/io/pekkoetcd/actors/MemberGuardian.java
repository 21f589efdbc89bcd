package io.pekkoetcd.actors;

import io.pekkoetcd.actors.apply.MemberOps;
import io.pekkoetcd.actors.apply.Members;
import io.pekkoetcd.actors.metrics.ActorMetrics;
import io.pekkoetcd.actors.metrics.DeadLetterCounter;
import io.pekkoetcd.mvcc.MvccStore;
import io.pekkoetcd.watch.WatchHub;
import io.pekkoetcd.watch.WatchSettings;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root of one member's actors: opens the MVCC store, then spawns the {@link KvActor} (which
 * owns the store from then on), the {@link WatchHub}, the {@link RaftNode} (which owns the WAL) and
 * the {@link LeaseActor} and the {@link LeaderMonitor}, and hands out their references.
 */
final class MemberGuardian {
  private MemberGuardian() {}

  sealed interface Command {}

  record GetRefs(ActorRef<Refs> replyTo) implements Command {}

  record Refs(
      ActorRef<RaftNode.Command> raft,
      ActorRef<KvActor.Command> kv,
      ActorRef<WatchHub.Command> watchHub,
      ActorRef<LeaseActor.Command> leases,
      AtomicLong revision,
      io.pekkoetcd.actors.auth.AuthHolder auth) {}

  static Behavior<Command> create(
      MemberConfig config, PendingRequests pending, PeerDirectory directory) {
    return Behaviors.setup(
        ctx -> {
          // Finish or undo what a crash interrupted in a snapshot install's store swap (see
          // SnapshotFiles).
          SnapshotFiles.recover(config.kvDir(), config.snapDir());
          MvccStore store = MvccStore.open(config.kvDir(), KvActor.storeOptions(config));
          ctx.getLog()
              .info(
                  "opened MVCC store at revision {} (consistent index {})",
                  store.currentRevision(),
                  store.consistentIndex());
          // Read before the KV actor owns the store.
          long revisionAtStart = store.currentRevision();
          AtomicLong revision = new AtomicLong(revisionAtStart);
          // The membership before any change: a joined member's as its peers told it, else the
          // initial cluster's; the store's once a change was applied.
          Members initialMembers =
              ClusterJoin.read(config.dataDir())
                  .map(ClusterJoin.Joined::members)
                  .orElseGet(config::initialMembers);
          directory.setMembers(new MemberOps(() -> initialMembers).current(store));
          // The applied auth state and simple tokens, written by the KV actor after each commit.
          io.pekkoetcd.actors.auth.AuthHolder auth =
              new io.pekkoetcd.actors.auth.AuthHolder(
                  new io.pekkoetcd.actors.auth.SimpleTokens(
                      config.auth().tokenTtl().toNanos(),
                      System::nanoTime,
                      new java.security.SecureRandom()),
                  io.pekkoetcd.actors.auth.JwtTokens.of(
                      config.auth().tokenType(), System::currentTimeMillis));
          ctx.getLog().info("membership: {}", directory.members());
          ActorRef<KvActor.Command> kv =
              ctx.spawn(
                  ActorMetrics.instrument(
                      "kv",
                      KvActor.create(
                          config, store, pending, revision, directory, () -> initialMembers, auth)),
                  "kv",
                  DispatcherSelector.fromConfig("pekko-etcd.kv-dispatcher"));
          WatchSettings watchSettings =
              WatchSettings.defaults(
                      config.clusterId(), config.memberId(), config.maxRequestBytes())
                  .withProgressNotifyInterval(config.watchProgressNotifyInterval());
          ActorRef<WatchHub.Command> watchHub =
              ctx.spawn(
                  ActorMetrics.instrument(
                      "watch",
                      WatchHub.create(
                          watchSettings,
                          new KvWatchHistory(
                              kv, config.requestTimeout(), ctx.getSystem().scheduler()),
                          revisionAtStart,
                          // Progress-notify jitter only spreads streams apart; derived from the
                          // Raft
                          // seed so a run
                          // with a given seed replays.
                          new SplittableRandom(config.raftSeed() ^ 0x5DEECE66DL))),
                  "watch");
          // Before the Raft node exists, so that the hub sees every applied batch.
          kv.tell(new KvActor.PublishTo(watchHub));
          ActorRef<RaftNode.Command> raft =
              ctx.spawn(
                  ActorMetrics.instrument("raft", RaftNode.create(config, pending, directory, kv)),
                  "raft");
          Duration electionTimeout =
              config.heartbeatInterval().multipliedBy(config.electionTicks());
          ActorRef<LeaseActor.Command> leases =
              ctx.spawn(
                  ActorMetrics.instrument(
                      LeaseActor.NAME,
                      LeaseActor.create(
                          LeaseActor.Settings.of(
                              config.clusterId(), config.memberId(), electionTimeout),
                          raft,
                          System::nanoTime,
                          LeaseForwarder.toPeers(ctx.getSystem(), config, directory))),
                  LeaseActor.NAME);
          kv.tell(new KvActor.LeasesTo(leases));
          ctx.spawn(
              ActorMetrics.instrument(
                  "leader-monitor",
                  LeaderMonitor.create(
                      raft,
                      watchHub,
                      config.heartbeatInterval().multipliedBy(config.electionTicks()))),
              "leader-monitor");
          Duration corruptCheckPeriod = config.maintenance().corruptCheckPeriod();
          if (corruptCheckPeriod.compareTo(Duration.ZERO) > 0) {
            ctx.spawn(
                CorruptionChecker.create(config, directory, raft, kv, corruptCheckPeriod),
                CorruptionChecker.NAME);
          }
          ctx.spawn(DeadLetterCounter.create(), DeadLetterCounter.NAME);
          // A member without its Raft node or its store must stop, not answer half the API: an
          // unhandled
          // Terminated fails the guardian (death pact), which terminates the actor system.
          ctx.watch(kv);
          ctx.watch(raft);
          ctx.watch(watchHub);
          Refs refs = new Refs(raft, kv, watchHub, leases, revision, auth);
          return Behaviors.receive(Command.class)
              .onMessage(
                  GetRefs.class,
                  g -> {
                    g.replyTo().tell(refs);
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
