package io.pekkoetcd.persistence;

import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.LogCompactedException;
import io.pekkoetcd.raft.LogUnavailableException;
import io.pekkoetcd.raft.MemoryRaftStorage;
import io.pekkoetcd.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The Raft WAL of one member: an {@link EventSourcedBehavior} on the configured journal (the
 * LevelDB journal with fsync in production).
 *
 * <p>Durability contract: {@link Append} is answered with {@link Appended} only after its events
 * are written as one atomic journal write (one LevelDB batch, one fsync). The owner must not send
 * messages or answer clients that depend on those entries or that hard state before it has the
 * reply. Commands arriving while a write is in flight are stashed by Pekko; the owner keeps at most
 * a few in flight, so the stash never overflows (and overflow is configured to fail loudly, not to
 * drop).
 *
 * <p>Every {@code snapshotEveryEvents} events the whole state (hard state and every entry since the
 * last compaction) is saved to the snapshot store and older events are deleted, so recovery time is
 * bounded by the log tail, not by the history.
 */
public final class RaftLogStore
    extends EventSourcedBehavior<RaftLogStore.Command, WalEvent, MemoryRaftStorage> {

  /** Messages understood by the WAL. */
  public sealed interface Command {}

  /**
   * Persist, atomically and in this order: {@code snapshot} if present (the log is replaced and
   * starts after it), {@code entries} (may be empty; appended after truncating any conflicting
   * suffix), {@code hardState} if present; then reply {@link Appended}.
   */
  public record Append(
      Optional<Snapshot> snapshot,
      List<Entry> entries,
      Optional<HardState> hardState,
      ActorRef<Appended> replyTo)
      implements Command {}

  /** Reply with the whole recovered log as an immutable {@link RaftLogSnapshot}. */
  public record Load(ActorRef<RaftLogSnapshot> replyTo) implements Command {}

  /**
   * Discard entries up to and including {@code index}, recording the membership in force there
   * (ignored when already compacted or beyond the end).
   */
  public record Compact(long index, ConfState confState) implements Command {}

  /** The answer to {@link Append}: everything up to {@code lastIndex} is durable. */
  public record Appended(long lastIndex, HardState hardState) {}

  private final int snapshotEveryEvents;

  private RaftLogStore(PersistenceId id, int snapshotEveryEvents) {
    super(id);
    this.snapshotEveryEvents = snapshotEveryEvents;
  }

  /**
   * @param memberId the member whose log this is (one WAL per member and data directory)
   * @param snapshotEveryEvents how many journal events between state snapshots (and deletion of
   *     older events)
   */
  public static Behavior<Command> create(long memberId, int snapshotEveryEvents) {
    return new RaftLogStore(
        PersistenceId.ofUniqueId("raft-wal-" + Long.toHexString(memberId)), snapshotEveryEvents);
  }

  @Override
  public MemoryRaftStorage emptyState() {
    return new MemoryRaftStorage();
  }

  @Override
  public CommandHandler<Command, WalEvent, MemoryRaftStorage> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Append.class, this::onAppend)
        .onCommand(
            Load.class,
            (log, c) -> Effect().none().thenRun(l -> c.replyTo().tell(RaftLogSnapshot.of(l))))
        .onCommand(Compact.class, this::onCompact)
        .build();
  }

  private Effect<WalEvent, MemoryRaftStorage> onAppend(MemoryRaftStorage log, Append c) {
    List<WalEvent> events = new ArrayList<>(3);
    // Only the snapshot's metadata is the WAL's: its data (the MVCC store) lives in the data dir.
    c.snapshot()
        .ifPresent(
            s ->
                events.add(
                    new WalEvent.SnapshotSaved(
                        new Snapshot(s.index(), s.term(), s.confState(), null))));
    if (!c.entries().isEmpty()) {
      events.add(new WalEvent.EntriesAppended(c.entries()));
    }
    c.hardState().ifPresent(hs -> events.add(new WalEvent.HardStateSet(hs)));
    if (events.isEmpty()) {
      return Effect()
          .none()
          .thenRun(l -> c.replyTo().tell(new Appended(l.lastIndex(), l.hardState())));
    }
    return Effect()
        .persist(events)
        .thenRun(l -> c.replyTo().tell(new Appended(l.lastIndex(), l.hardState())));
  }

  private Effect<WalEvent, MemoryRaftStorage> onCompact(MemoryRaftStorage log, Compact c) {
    long term;
    try {
      term = log.term(c.index());
    } catch (LogCompactedException | LogUnavailableException e) {
      return Effect().none();
    }
    if (c.index() <= log.snapshot().index()) {
      return Effect().none();
    }
    return Effect()
        .persist(new WalEvent.LogCompacted(new Snapshot(c.index(), term, c.confState(), null)));
  }

  @Override
  public EventHandler<MemoryRaftStorage, WalEvent> eventHandler() {
    return WalReplay::apply;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEveryEvents, 2).withDeleteEventsOnSnapshot();
  }

  /**
   * The mutable state is copied when it is snapshotted, so the snapshot store never sees it change.
   */
  @Override
  public SnapshotAdapter<MemoryRaftStorage> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(MemoryRaftStorage state) {
        return RaftLogSnapshot.of(state);
      }

      @Override
      public MemoryRaftStorage fromJournal(Object from) {
        return ((RaftLogSnapshot) from).toStorage();
      }
    };
  }
}
