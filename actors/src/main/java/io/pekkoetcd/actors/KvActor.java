package io.pekkoetcd.actors;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.apply.Applied;
import io.pekkoetcd.actors.apply.ApplyResult;
import io.pekkoetcd.actors.apply.KvApplier;
import io.pekkoetcd.actors.apply.LeaseOps;
import io.pekkoetcd.actors.apply.MemberOps;
import io.pekkoetcd.actors.apply.Members;
import io.pekkoetcd.actors.metrics.MemberMetrics;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.mvcc.MvccExport;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.mvcc.MvccStore;
import io.pekkoetcd.mvcc.StoredLease;
import io.pekkoetcd.protocol.etcdserverpb.HashKVResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.watch.RevisionEvents;
import io.pekkoetcd.watch.WatchHistory;
import io.pekkoetcd.watch.WatchHub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * Owns the member's MVCC store: applies committed Raft entries strictly in log order (one LevelDB
 * batch per {@link Apply}) and serves reads from the applied state.
 *
 * <p>Contract: entries arrive in increasing index order without gaps, except that entries at or
 * below the store's consistent index (already applied before a restart) are skipped by the store.
 * After applying, the waiting client request of every entry this member proposed is completed
 * through {@link PendingRequests}, off this actor by {@link WriterReplies}, in log order. The store
 * does blocking disk I/O, so this actor runs on its own dispatcher ({@code
 * pekko-etcd.kv-dispatcher}).
 */
public final class KvActor extends AbstractBehavior<KvActor.Command> {

  /** Messages understood by the KV actor. */
  public sealed interface Command {}

  /**
   * Apply committed {@code entries} (in order) created up to raft term {@code term}; then tell
   * {@code replyTo} how far the store has applied and how far that is durable on disk.
   */
  public record Apply(List<Entry> entries, long term, ActorRef<AppliedTo> replyTo)
      implements Command {}

  /** Serve a Range from the applied state. */
  public record Range(RangeRequest request, ActorRef<StatusReply<RangeResponse>> replyTo)
      implements Command {}

  /** Serve a Txn whose branches only read. */
  public record ReadTxn(TxnRequest request, ActorRef<StatusReply<TxnResponse>> replyTo)
      implements Command {}

  /**
   * Handle {@code then} (a read) once the store has applied up to {@code index}: a linearizable
   * read at a read index. Reads waiting here are served in index order right after the apply that
   * reaches them.
   */
  public record AfterApplied(long index, Command then) implements Command {}

  /** Hash the key space up to {@code revision} (0 = current). */
  public record HashKV(long revision, ActorRef<StatusReply<HashKVResponse>> replyTo)
      implements Command {}

  /**
   * {@link HashKV} asked by a peer's corruption check, over Artery (etcd's peer {@code
   * /members/hashkv}): the answer crosses the wire, so it carries the store's error by name.
   */
  public record PeerHashKV(long revision, ActorRef<PeerHashKVAnswer> replyTo) implements Command {}

  /** The answer to {@link PeerHashKV}: the response, or (response null) the store's error. */
  public record PeerHashKVAnswer(HashKVResponse response, MvccError error) {}

  /**
   * Defragment the store (etcd's Defragment: this member only, blocking its reads and applies while
   * LevelDB rewrites its tables); answers the store's size before and after.
   */
  public record Defragment(ActorRef<Defragmented> replyTo) implements Command {}

  /** The answer to {@link Defragment}: sizes on disk in bytes, or why it failed. */
  public record Defragmented(long sizeBefore, long sizeAfter, Throwable failure) {}

  /** Report the store's figures. */
  public record GetStatus(ActorRef<KvStatus> replyTo) implements Command {}

  /**
   * From now on, tell {@code hub} the events of every applied batch (and, at once, the current
   * revision). Sent by the guardian before any {@link Apply}.
   */
  public record PublishTo(ActorRef<WatchHub.Command> hub) implements Command {}

  /**
   * From now on, tell {@code leases} the leases each applied batch granted or revoked (and, at
   * once, every lease the store holds). Sent by the guardian.
   */
  public record LeasesTo(ActorRef<LeaseActor.Command> leases) implements Command {}

  /** The keys attached to lease {@code id} now, sorted (LeaseTimeToLive with keys). */
  public record LeaseKeys(long id, ActorRef<List<ByteString>> replyTo) implements Command {}

  /**
   * Read watch history: the events of up to {@code maxRevisions} revisions from {@code fromRev},
   * with prev_kv.
   */
  public record ReadWatchHistory(
      long fromRev, int maxRevisions, ActorRef<WatchHistory.Batch> replyTo) implements Command {}

  /**
   * Take a point-in-time image of the store for a follower (a LevelDB snapshot: cheap here, read by
   * the caller off this actor); the caller closes it.
   */
  public record ExportSnapshot(ActorRef<Exported> replyTo) implements Command {}

  /** The answer to {@link ExportSnapshot}: the image, or why there is none. */
  public record Exported(MvccExport export, Throwable failure) {}

  /**
   * The WAL now starts at Raft snapshot {@code index} (made durable before this is sent): replace
   * the store by the staged store for it ({@link SnapshotFiles#staged}) unless the store already
   * holds that index. Entries applied afterwards are skipped up to the new store's consistent
   * index. Sent by the Raft node after persisting a received snapshot, and on every start (to
   * finish an install a crash interrupted).
   */
  public record InstallSnapshot(long index, long term) implements Command {}

  /**
   * Delete one batch of what committed compactions left on disk, then send itself another if more
   * is left: applies queued meanwhile go first, as etcd's compaction deletes a batch at a time
   * between them.
   */
  private enum DeleteGarbage implements Command {
    INSTANCE
  }

  /**
   * The answer to {@link Apply}. {@code durableIndex}: entries up to here survive a crash without
   * the WAL.
   */
  public record AppliedTo(long appliedIndex, long durableIndex) {}

  /** The store's figures for Maintenance.Status. */
  public record KvStatus(
      long revision,
      long compactedRevision,
      long appliedIndex,
      long dbSizeBytes,
      long dbSizeInUseBytes,
      long snapshotsInstalled,
      long keys,
      java.util.SortedSet<io.pekkoetcd.mvcc.StoredAlarm> alarms) {}

  private final MemberConfig config;
  private final MemberMetrics metrics;
  private final PeerDirectory directory;
  private final Supplier<Members> initialMembers;
  private final io.pekkoetcd.actors.auth.AuthHolder auth;

  /** Replaced when a snapshot is installed, with its applier. */
  private MvccStore store;

  private KvApplier applier;

  private long snapshotsInstalled;
  private final WriterReplies replies;
  private final Headers headers;
  private long term;
  private long durableIndex;
  private long lastSyncIndex;
  private ActorRef<WatchHub.Command> watchHub;
  private ActorRef<LeaseActor.Command> leases;
  private final AtomicLong revision;
  private long appliedIndex;

  /** Whether a {@link DeleteGarbage} is in the mailbox. */
  private boolean garbageDeletionQueued;

  /** How many garbage revisions one {@link DeleteGarbage} deletes. */
  private final int garbageBatch;

  private final PriorityQueue<AfterApplied> waitingReads =
      new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));

  /** The applier of a store: etcd's minimum lease TTL from the member's election timeout. */
  private KvApplier applier(MvccStore store, MemberConfig config) {
    return new KvApplier(
        store,
        LeaseOps.minTtl(config.heartbeatInterval().toMillis(), config.electionTicks()),
        new MemberOps(initialMembers),
        auth);
  }

  /** The options the member's store is opened with (at start and after a snapshot install). */
  static MvccOptions storeOptions(MemberConfig config) {
    return MvccOptions.defaults();
  }

  /** A KV actor on its own (tests): no directory or auth shared with other actors. */
  public static Behavior<Command> create(
      MemberConfig config, MvccStore store, PendingRequests pending) {
    return create(
        config,
        store,
        pending,
        new AtomicLong(),
        new PeerDirectory(),
        config::initialMembers,
        new io.pekkoetcd.actors.auth.AuthHolder(
            new io.pekkoetcd.actors.auth.SimpleTokens(
                config.auth().tokenTtl().toNanos(),
                System::nanoTime,
                new java.security.SecureRandom())));
  }

  /**
   * @param revision kept equal to the store's current revision after each apply (readable from any
   *     thread: the headers of answers that do not pass through this actor, e.g. lease keep-alives)
   * @param directory where the membership of an installed snapshot's store is published
   * @param initialMembers the membership before any change was applied
   * @param auth where the applied auth state and tokens are published (reset from the store now and
   *     after a snapshot install)
   */
  public static Behavior<Command> create(
      MemberConfig config,
      MvccStore store,
      PendingRequests pending,
      AtomicLong revision,
      PeerDirectory directory,
      Supplier<Members> initialMembers,
      io.pekkoetcd.actors.auth.AuthHolder auth) {
    return Behaviors.setup(
        ctx -> new KvActor(ctx, config, store, pending, revision, directory, initialMembers, auth));
  }

  private KvActor(
      ActorContext<Command> ctx,
      MemberConfig config,
      MvccStore store,
      PendingRequests pending,
      AtomicLong revision,
      PeerDirectory directory,
      Supplier<Members> initialMembers,
      io.pekkoetcd.actors.auth.AuthHolder auth) {
    super(ctx);
    this.auth = auth;
    this.directory = directory;
    this.initialMembers = initialMembers;
    this.revision = revision;
    revision.set(store.currentRevision());
    this.config = config;
    this.metrics = MemberMetrics.get(ctx.getSystem());
    this.store = store;
    this.garbageBatch = storeOptions(config).compactionBatchSize();
    this.applier = applier(store, config);
    this.headers = new Headers(config.clusterId(), config.memberId());
    this.replies = new WriterReplies(pending, headers, ctx.getSystem().executionContext());
    this.durableIndex = store.consistentIndex();
    this.lastSyncIndex = durableIndex;
    this.appliedIndex = durableIndex;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Apply.class, this::onApply)
        .onMessage(Range.class, this::onRange)
        .onMessage(ReadTxn.class, this::onReadTxn)
        .onMessage(HashKV.class, this::onHashKV)
        .onMessage(PeerHashKV.class, this::onPeerHashKV)
        .onMessage(Defragment.class, this::onDefragment)
        .onMessage(AfterApplied.class, this::onAfterApplied)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(PublishTo.class, this::onPublishTo)
        .onMessage(LeasesTo.class, this::onLeasesTo)
        .onMessage(LeaseKeys.class, this::onLeaseKeys)
        .onMessage(ReadWatchHistory.class, this::onReadWatchHistory)
        .onMessage(ExportSnapshot.class, this::onExportSnapshot)
        .onMessage(InstallSnapshot.class, this::onInstallSnapshot)
        .onMessage(DeleteGarbage.class, g -> onDeleteGarbage())
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> onApply(Apply apply) {
    term = Math.max(term, apply.term());
    List<Applied> batch = new ArrayList<>(apply.entries().size());
    for (Entry e : apply.entries()) {
      batch.add(Applied.of(e));
    }
    long last =
        apply.entries().isEmpty()
            ? store.consistentIndex()
            : apply.entries().get(apply.entries().size() - 1).index();
    // Make the store durable from time to time, so that the WAL before that point may be compacted.
    boolean sync = last - lastSyncIndex >= Math.max(1, config.compactionInterval() / 4);
    long started = System.nanoTime();
    List<ApplyResult> results = applier.applyBatch(batch, sync);
    applyMeasured(System.nanoTime() - started, batch);
    if (sync) {
      lastSyncIndex = last;
      durableIndex = last;
    }
    revision.set(store.currentRevision());
    queueGarbageDeletion();
    publish(results);
    publishLeases(batch, results);
    replies.submit(WriterReplies.Batch.own(config.memberId(), batch, results), term);
    apply.replyTo().tell(new AppliedTo(last, durableIndex));
    appliedIndex = Math.max(appliedIndex, last);
    releaseReads();
    return this;
  }

  private void queueGarbageDeletion() {
    if (!garbageDeletionQueued && store.garbageLeft() > 0) {
      garbageDeletionQueued = true;
      getContext().getSelf().tell(DeleteGarbage.INSTANCE);
    }
  }

  private Behavior<Command> onDeleteGarbage() {
    garbageDeletionQueued = false;
    store.deleteGarbage(garbageBatch);
    queueGarbageDeletion();
    return this;
  }

  /**
   * etcd's apply figures: one batch is one backend commit (one LevelDB write); more than 100 ms is
   * a slow apply (etcd's warning threshold); puts, deletes and txns as etcd's mvcc counts them.
   */
  private void applyMeasured(long nanos, List<Applied> batch) {
    metrics.backendCommit.observe(nanos / 1e9);
    if (nanos > SLOW_APPLY_NANOS) {
      metrics.slowApplies.inc();
    }
    for (Applied a : batch) {
      InternalRaftRequest r = a.request();
      if (r == null) {
        continue;
      }
      if (r.hasPut()) {
        metrics.puts.inc();
      } else if (r.hasDeleteRange()) {
        metrics.deletes.inc();
      } else if (r.hasTxn()) {
        metrics.txns.inc();
      }
    }
  }

  private static final long SLOW_APPLY_NANOS = 100_000_000L;

  /** Serves, in index order, the waiting reads the applied index now reaches. */
  private void releaseReads() {
    while (!waitingReads.isEmpty() && waitingReads.peek().index() <= appliedIndex) {
      getContext().getSelf().tell(waitingReads.poll().then());
    }
  }

  private Behavior<Command> onAfterApplied(AfterApplied a) {
    if (a.index() <= appliedIndex) {
      getContext().getSelf().tell(a.then());
    } else {
      waitingReads.add(a);
    }
    return this;
  }

  /**
   * Tell the watch hub what this batch changed, before any client hears that its write was applied.
   */
  private void publish(List<ApplyResult> results) {
    if (watchHub == null) {
      return;
    }
    List<RevisionEvents> revisions = new ArrayList<>();
    long events = 0;
    for (ApplyResult r : results) {
      if (r instanceof ApplyResult.Ok ok && !ok.events().isEmpty()) {
        revisions.add(new RevisionEvents(ok.revision(), ok.events()));
        events += ok.events().size();
      }
    }
    if (events > 0) {
      metrics.events.inc(events);
    }
    watchHub.tell(new WatchHub.Published(revisions, store.currentRevision(), term));
  }

  /** Tell the lease actor which leases this batch granted and revoked. */
  private void publishLeases(List<Applied> batch, List<ApplyResult> results) {
    if (leases == null) {
      return;
    }
    List<StoredLease> granted = new ArrayList<>();
    List<Long> revoked = new ArrayList<>();
    List<StoredLease> checkpointed = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (!(results.get(i) instanceof ApplyResult.Ok ok)) {
        continue;
      }
      InternalRaftRequest r = batch.get(i).request();
      if (r == null) {
        continue;
      }
      if (ok.response() instanceof LeaseGrantResponse g) {
        granted.add(StoredLease.of(g.getID(), g.getTTL()));
      } else if (r.hasLeaseRevoke()) {
        revoked.add(r.getLeaseRevoke().getID());
      } else if (r.hasLeaseCheckpoint()) {
        for (var c : r.getLeaseCheckpoint().getCheckpointsList()) {
          checkpointed.add(new StoredLease(c.getID(), 0, c.getRemainingTTL()));
        }
      }
    }
    if (!granted.isEmpty() || !revoked.isEmpty() || !checkpointed.isEmpty()) {
      leases.tell(new LeaseActor.Applied(granted, revoked, checkpointed, store.currentRevision()));
    }
  }

  private Behavior<Command> onLeasesTo(LeasesTo l) {
    leases = l.leases();
    leases.tell(new LeaseActor.Reset(store.leases(), store.currentRevision()));
    return this;
  }

  private Behavior<Command> onLeaseKeys(LeaseKeys k) {
    List<ByteString> keys = new ArrayList<>(store.keysWithLease(k.id()));
    keys.sort(ByteString.unsignedLexicographicalComparator());
    k.replyTo().tell(keys);
    return this;
  }

  private Behavior<Command> onPublishTo(PublishTo p) {
    watchHub = p.hub();
    watchHub.tell(new WatchHub.Published(List.of(), store.currentRevision(), term));
    return this;
  }

  private Behavior<Command> onReadWatchHistory(ReadWatchHistory r) {
    r.replyTo().tell(KvWatchHistory.readFrom(store, r.fromRev(), r.maxRevisions()));
    return this;
  }

  private Behavior<Command> onRange(Range r) {
    try {
      r.replyTo().tell(StatusReply.success(headers.fill(applier.range(r.request()), term)));
    } catch (MvccException e) {
      r.replyTo().tell(StatusReply.error(e));
    }
    return this;
  }

  private Behavior<Command> onReadTxn(ReadTxn r) {
    try {
      r.replyTo().tell(StatusReply.success(headers.fill(applier.readOnlyTxn(r.request()), term)));
    } catch (MvccException e) {
      r.replyTo().tell(StatusReply.error(e));
    }
    return this;
  }

  private Behavior<Command> onDefragment(Defragment d) {
    long before = store.dbSizeBytes();
    try {
      store.deleteGarbage(Integer.MAX_VALUE); // what the compactions freed is what defrag reclaims
      store.defragment();
      d.replyTo().tell(new Defragmented(before, store.dbSizeBytes(), null));
    } catch (RuntimeException e) {
      d.replyTo().tell(new Defragmented(before, before, e));
    }
    return this;
  }

  private Behavior<Command> onHashKV(HashKV h) {
    try {
      h.replyTo().tell(StatusReply.success(hashKV(h.revision())));
    } catch (MvccException e) {
      h.replyTo().tell(StatusReply.error(e));
    }
    return this;
  }

  private Behavior<Command> onPeerHashKV(PeerHashKV h) {
    try {
      h.replyTo().tell(new PeerHashKVAnswer(hashKV(h.revision()), null));
    } catch (MvccException e) {
      h.replyTo().tell(new PeerHashKVAnswer(null, e.error()));
    }
    return this;
  }

  /** etcd's HashKV: the header at the current revision, the hash up to {@code revision}. */
  private HashKVResponse hashKV(long revision) throws MvccException {
    int hash = store.hashKV(revision);
    return HashKVResponse.newBuilder()
        .setHeader(headers.header(store.currentRevision(), term))
        .setHash(hash)
        .setCompactRevision(store.compactedRevision())
        .build();
  }

  private Behavior<Command> onGetStatus(GetStatus g) {
    g.replyTo()
        .tell(
            new KvStatus(
                store.currentRevision(),
                store.compactedRevision(),
                store.consistentIndex(),
                store.dbSizeBytes(),
                store.dbSizeInUseBytes(),
                snapshotsInstalled,
                store.keyCount(),
                new java.util.TreeSet<>(store.alarms())));
    return this;
  }

  private Behavior<Command> onExportSnapshot(ExportSnapshot e) {
    try {
      // Members that applied the same entries export the same records (Maintenance.Hash, snapshots)
      store.deleteGarbage(Integer.MAX_VALUE);
      e.replyTo().tell(new Exported(store.export(), null));
    } catch (RuntimeException ex) {
      e.replyTo().tell(new Exported(null, ex));
    }
    return this;
  }

  /**
   * Swap in the staged store (crash-safety order in {@link SnapshotFiles}). Blocks this actor while
   * the new store's index is rebuilt: the member has nothing else to apply until it has the
   * snapshot (as etcd's apply loop).
   */
  private Behavior<Command> onInstallSnapshot(InstallSnapshot s) throws IOException {
    long before = store.consistentIndex();
    if (s.index() <= before) {
      // Already holds it (the usual case on start); staged stores at or below it are stale.
      SnapshotFiles.deleteStagedUpTo(config.snapDir(), before);
      return this;
    }
    long started = System.nanoTime();
    long revisionBefore = store.currentRevision();
    store = SnapshotFiles.install(store, s.index(), config, storeOptions(config));
    applier = applier(store, config);
    // The installed store holds the membership as of its consistent index.
    directory.setMembers(new MemberOps(initialMembers).current(store));
    term = Math.max(term, s.term());
    appliedIndex = store.consistentIndex();
    durableIndex = appliedIndex;
    lastSyncIndex = appliedIndex;
    snapshotsInstalled++;
    SnapshotFiles.deleteStagedUpTo(config.snapDir(), appliedIndex);
    getContext()
        .getLog()
        .info(
            "installed MVCC snapshot for raft index {} (term {}): revision {} -> {}, compacted revision {},"
                + " consistent index {} -> {}, {} keys, {} ms",
            s.index(),
            s.term(),
            revisionBefore,
            store.currentRevision(),
            store.compactedRevision(),
            before,
            store.consistentIndex(),
            store.keyCount(),
            (System.nanoTime() - started) / 1_000_000);
    if (watchHub != null) {
      // Before any later batch is published: watchers catch up on the revisions the snapshot
      // skipped.
      watchHub.tell(new WatchHub.Restored(store.currentRevision(), term));
    }
    revision.set(store.currentRevision());
    if (leases != null) {
      leases.tell(new LeaseActor.Reset(store.leases(), store.currentRevision()));
    }
    releaseReads();
    return this;
  }

  private Behavior<Command> onStop() {
    store.close();
    return this;
  }
}
