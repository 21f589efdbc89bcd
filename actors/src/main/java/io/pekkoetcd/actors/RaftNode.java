package io.pekkoetcd.actors;

import io.pekkoetcd.persistence.HardState;
import io.pekkoetcd.persistence.LogEntry;
import io.pekkoetcd.persistence.RaftLogSnapshot;
import io.pekkoetcd.persistence.RaftLogStore;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * The member's Raft node. Until the multi-member issue replaces its inside with {@code raft-core}, it leads a
 * one-member group: every proposal is appended to the WAL, and once {@link RaftLogStore} confirms the write the
 * entries are committed (a quorum of one) and handed to the {@link KvActor} in log order.
 *
 * <p>Behaviours: {@code recovering} (waiting for the WAL's recovered log; proposals are stashed, bounded) and
 * {@code leading}. While one WAL write is in flight, new proposals accumulate and go out together in the next write:
 * one fsync for many proposals (group commit). Durable before visible: entries reach the KV actor only after the
 * WAL answered.
 */
public final class RaftNode {

  /** Messages understood by the Raft node. */
  public sealed interface Command {}

  /** Propose a request that the caller registered in {@link PendingRequests} under {@code request.id}. */
  public record Propose(InternalRaftRequest request) implements Command {}

  /** Report the Raft figures. */
  public record GetStatus(ActorRef<RaftStatus> replyTo) implements Command {}

  /** The node's Raft figures for Maintenance.Status. */
  public record RaftStatus(long leader, long term, long commitIndex) {}

  private record Recovered(RaftLogSnapshot log) implements Command {}

  private record Persisted(RaftLogStore.Appended appended, List<LogEntry> entries) implements Command {}

  private record WrappedApplied(KvActor.AppliedTo applied) implements Command {}

  /** Entries kept in the WAL behind the applied index, for followers to catch up from (etcd: 5,000). */
  static final long CATCH_UP_ENTRIES = 5_000;

  private final ActorContext<Command> ctx;
  private final MemberConfig config;
  private final PendingRequests pending;
  private final ActorRef<KvActor.Command> kv;
  private final ActorRef<RaftLogStore.Command> wal;
  private final ActorRef<KvActor.AppliedTo> appliedAdapter;

  private long term;
  private long lastIndex;
  private long commitIndex;
  private long compactedIndex;
  private boolean writing;
  private List<InternalRaftRequest> waiting = new ArrayList<>();

  public static Behavior<Command> create(
      MemberConfig config, PendingRequests pending, ActorRef<KvActor.Command> kv) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withStash(
                config.maxPendingProposals(),
                stash -> new RaftNode(ctx, config, pending, kv).recovering(stash)));
  }

  private RaftNode(
      ActorContext<Command> ctx, MemberConfig config, PendingRequests pending, ActorRef<KvActor.Command> kv) {
    this.ctx = ctx;
    this.config = config;
    this.pending = pending;
    this.kv = kv;
    this.wal = ctx.spawn(RaftLogStore.create(config.memberId(), 10_000), "wal");
    // Without its WAL the node must not go on: an unhandled Terminated fails this actor too (death pact).
    ctx.watch(wal);
    this.appliedAdapter = ctx.messageAdapter(KvActor.AppliedTo.class, WrappedApplied::new);
    wal.tell(new RaftLogStore.Load(ctx.messageAdapter(RaftLogSnapshot.class, Recovered::new)));
  }

  private Behavior<Command> recovering(StashBuffer<Command> stash) {
    return Behaviors.receive(Command.class)
        .onMessage(Recovered.class, r -> onRecovered(r.log(), stash))
        .onMessage(
            Propose.class,
            p -> {
              if (stash.isFull()) {
                pending.fail(p.request().getId(), new ServerException(ServerError.TOO_MANY_REQUESTS));
              } else {
                stash.stash(p);
              }
              return Behaviors.same();
            })
        .onMessage(
            GetStatus.class,
            g -> {
              g.replyTo().tell(new RaftStatus(0, term, commitIndex));
              return Behaviors.same();
            })
        .onMessage(Persisted.class, p -> Behaviors.same())
        .onMessage(WrappedApplied.class, a -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onRecovered(RaftLogSnapshot log, StashBuffer<Command> stash) {
    compactedIndex = log.compactedIndex();
    lastIndex = log.lastIndex();
    // A quorum of one: everything in our WAL is committed. Replay it; the store skips what it already applied.
    commitIndex = lastIndex;
    if (!log.entries().isEmpty()) {
      kv.tell(new KvActor.Apply(log.entries(), log.lastTerm(), appliedAdapter));
    }
    List<LogEntry> bootstrap = new ArrayList<>();
    if (lastIndex == 0) {
      // A fresh member: the initial configuration entry in term 1, as etcd bootstraps a new cluster.
      bootstrap.add(new LogEntry(1, 1, LogEntry.Kind.CONF_CHANGE, new byte[0]));
    }
    // Win the election for the next term and append its no-op entry (Raft §5.4.2: commits only in own term).
    term = Math.max(log.hardState().term(), 1) + 1;
    bootstrap.add(new LogEntry(lastIndex + bootstrap.size() + 1, term, LogEntry.Kind.NORMAL, new byte[0]));
    write(Optional.of(new HardState(term, config.memberId(), commitIndex)), bootstrap);
    ctx.getLog().info("member {} leads term {} from log index {}", Long.toHexString(config.memberId()), term, lastIndex);
    return stash.unstashAll(leading());
  }

  private Behavior<Command> leading() {
    return Behaviors.receive(Command.class)
        .onMessage(Propose.class, this::onPropose)
        .onMessage(Persisted.class, this::onPersisted)
        .onMessage(WrappedApplied.class, this::onApplied)
        .onMessage(
            GetStatus.class,
            g -> {
              g.replyTo().tell(new RaftStatus(config.memberId(), term, commitIndex));
              return Behaviors.same();
            })
        .onMessage(Recovered.class, r -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onPropose(Propose p) {
    if (waiting.size() >= config.maxPendingProposals()) {
      pending.fail(p.request().getId(), new ServerException(ServerError.TOO_MANY_REQUESTS));
      return Behaviors.same();
    }
    waiting.add(p.request());
    if (!writing) {
      flush();
    }
    return Behaviors.same();
  }

  private void flush() {
    if (waiting.isEmpty()) {
      return;
    }
    List<LogEntry> entries = new ArrayList<>(waiting.size());
    for (InternalRaftRequest r : waiting) {
      entries.add(new LogEntry(lastIndex + entries.size() + 1, term, LogEntry.Kind.NORMAL, r.toByteArray()));
    }
    waiting = new ArrayList<>();
    write(Optional.empty(), entries);
  }

  private void write(Optional<HardState> hardState, List<LogEntry> entries) {
    writing = true;
    lastIndex += entries.size();
    ActorRef<RaftLogStore.Appended> replyTo =
        ctx.messageAdapter(RaftLogStore.Appended.class, a -> new Persisted(a, entries));
    wal.tell(new RaftLogStore.Append(hardState, entries, replyTo));
  }

  private Behavior<Command> onPersisted(Persisted p) {
    writing = false;
    commitIndex = p.appended().lastIndex();
    if (!p.entries().isEmpty()) {
      kv.tell(new KvActor.Apply(p.entries(), term, appliedAdapter));
    }
    flush();
    return Behaviors.same();
  }

  /** Compact the WAL once enough applied entries are durable in the MVCC store, keeping a catch-up tail. */
  private Behavior<Command> onApplied(WrappedApplied a) {
    long safe = a.applied().durableIndex() - CATCH_UP_ENTRIES;
    if (safe - compactedIndex >= config.snapshotCount()) {
      compactedIndex = safe;
      wal.tell(new RaftLogStore.Compact(safe));
    }
    return Behaviors.same();
  }
}
