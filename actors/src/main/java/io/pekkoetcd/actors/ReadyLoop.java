package io.pekkoetcd.actors;

import io.pekkoetcd.actors.apply.MemberOps;
import io.pekkoetcd.actors.apply.Members;
import io.pekkoetcd.actors.metrics.MemberMetrics;
import io.pekkoetcd.persistence.RaftLogStore;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.protocol.internal.MemberChange;
import io.pekkoetcd.raft.ConfChange;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.ProgressView;
import io.pekkoetcd.raft.Ready;
import io.pekkoetcd.raft.Role;
import io.pekkoetcd.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The Ready loop, one Ready at a time: its snapshot, entries and hard state go to {@link
 * RaftLogStore} (one atomic, fsynced journal write); only when the WAL confirms them are its
 * messages handed to the {@link PeerTransport}, its committed entries to the {@link KvActor} in
 * order, its read states to the {@link ReadIndexes}, and the Ready advanced. Proposals that arrive
 * while a write is in flight go into Raft's unstable log and leave together in the next Ready: one
 * fsync for many proposals. Two exceptions ({@link ReadyPlan}): a leader's appends and heartbeats
 * leave before its own write, and a Ready that changes only the commit index is not written.
 *
 * <p>A Ready's soft state goes to {@link RaftContext#roleObserved} as soon as the Ready is taken. A
 * {@code MsgSnap} is not sent as a message but given to the role ({@link
 * RoleBehavior#sendSnapshot}). Every {@code --snapshot-count} durable applied entries the WAL is
 * compacted ({@link #onApplied}).
 */
final class ReadyLoop {

  private final RaftContext rc;
  private final ActorRef<RaftLogStore.Appended> persistedAdapter;
  private final ActorRef<KvActor.AppliedTo> appliedAdapter;

  /** The Ready being persisted, or null; and what to do with it around its WAL write. */
  private Ready inFlight;

  private ReadyPlan inFlightPlan;

  /** Proposals taken since the last Ready left: bounded by {@code maxPendingProposals}. */
  private int unsentProposals;

  private long lastLeader;

  /** When the in-flight Ready's WAL write was sent (etcd's WAL fsync duration). */
  private long writeStarted;

  private final MemberMetrics metrics;

  /** Where the log may be compacted to; told of the leader's snapshot transfers. */
  final LogRetention retention;

  ReadyLoop(RaftContext rc) {
    this.rc = rc;
    this.metrics = MemberMetrics.get(rc.ctx.getSystem());
    this.persistedAdapter =
        rc.ctx.messageAdapter(RaftLogStore.Appended.class, RaftNode.Persisted::new);
    this.appliedAdapter =
        rc.ctx.messageAdapter(KvActor.AppliedTo.class, RaftNode.WrappedApplied::new);
    this.retention =
        new LogRetention(
            rc.config.snapshotCatchUpEntries(),
            rc.config.compactionInterval(),
            LogRetention.MAX_HELD_ENTRIES,
            new LogRetention.Listener() {
              @Override
              public void paused(Set<Long> peers) {
                rc.ctx
                    .getLog()
                    .info(
                        "member {}: skipping WAL compaction while a snapshot is sent to {}",
                        rc.memberHex(),
                        peers.stream().map(ReadyLoop::hex).toList());
              }

              @Override
              public void holdReleased(long peer, long heldAt, String why) {
                rc.ctx
                    .getLog()
                    .warn(
                        "member {}: no longer keeping the WAL after index {} for {}, which was"
                            + " sent a snapshot: {}",
                        rc.memberHex(),
                        heldAt,
                        hex(peer),
                        why);
              }
            });
  }

  /** Refuse a proposal with "too many requests" when too many wait for the next Ready. */
  boolean admit(RaftNode.Propose p) {
    if (unsentProposals >= rc.config.maxPendingProposals()) {
      rc.pending.fail(p.request().getId(), new ServerException(ServerError.TOO_MANY_REQUESTS));
      return false;
    }
    return true;
  }

  void proposalTaken() {
    unsentProposals++;
  }

  /** Start the next Ready unless one is being persisted. */
  void drive() {
    if (inFlight != null || !rc.node.hasReady()) {
      return;
    }
    Ready rd = rc.node.ready();
    rd.softState().ifPresent(s -> rc.roleObserved(s.role()));
    ReadyPlan plan = ReadyPlan.of(rd, rc.role() == Role.LEADER);
    inFlight = rd;
    inFlightPlan = plan;
    unsentProposals = 0;
    if (!plan.beforeWrite().isEmpty()) {
      rc.send(plan.beforeWrite());
    }
    if (!plan.write()) {
      afterPersisted(rd);
      return;
    }
    writeStarted = System.nanoTime();
    metrics.walBatchEntries.observe(rd.entries().size());
    rc.wal.tell(
        new RaftLogStore.Append(rd.snapshot(), rd.entries(), rd.hardState(), persistedAdapter));
  }

  Behavior<RaftNode.Command> onPersisted() {
    if (inFlight != null) { // else the bootstrap write's answer, or one from before a restart
      metrics.walFsync.observe((System.nanoTime() - writeStarted) / 1e9);
      afterPersisted(inFlight);
    }
    return rc.next();
  }

  /**
   * The Ready's writes are durable: make them stable, send, apply, advance, and start the next one.
   */
  private void afterPersisted(Ready rd) {
    rd.snapshot().ifPresent(this::installSnapshot);
    rc.storage.append(rd.entries());
    rd.hardState().ifPresent(rc.storage::setHardState);
    List<Message> messages = new ArrayList<>(inFlightPlan.afterWrite().size());
    for (Message m : inFlightPlan.afterWrite()) {
      if (m instanceof Message.MsgSnap snap) {
        rc.current().sendSnapshot(snap); // with the MVCC store, not as a plain message
      } else {
        messages.add(m);
      }
    }
    if (!messages.isEmpty()) {
      rc.send(messages);
    }
    if (!rd.committedEntries().isEmpty()) {
      for (Entry e : rd.committedEntries()) {
        if (e.type() == EntryType.CONF_CHANGE) {
          applyConfChange(ConfChange.decode(e.data()));
        }
      }
      rc.kv.tell(
          new KvActor.Apply(rd.committedEntries(), rc.node.hardState().term(), appliedAdapter));
    }
    rc.reads.answer(rd.readStates());
    rc.node.advance(rd);
    long leader = rc.node.softState().leader();
    if (leader != lastLeader) {
      onLeaderChange(lastLeader, leader);
      lastLeader = leader;
    }
    inFlight = null;
    inFlightPlan = null;
    drive();
  }

  /**
   * A committed membership change: the membership (in the {@link PeerDirectory}) takes it as the
   * MVCC store does ({@link MemberOps#change}, same refusals), then Raft's configuration is made to
   * agree with the membership for that member (etcd applies a refused change to Raft as a no-op).
   * So a change refused by the membership check never reaches Raft, and an entry replayed after a
   * restart (whose effect the stored membership already holds) leaves Raft as the membership says.
   * A member that applies its own removal stops, as etcd's: "the member has been permanently
   * removed from the cluster".
   */
  private void applyConfChange(ConfChange cc) {
    Members before = rc.directory.members();
    Members after = before;
    MemberChange change = memberChange(cc);
    if (change == null) {
      rc.node.applyConfChange(cc); // a bare Raft change (tests), no membership record
      return;
    }
    try {
      after = MemberOps.change(before, change);
    } catch (ServerException refused) {
      rc.ctx.getLog().debug("membership change {} refused: {}", change.getKind(), refused.error());
    }
    long id = cc.nodeId();
    ConfChange effective;
    if (after.contains(id)) {
      effective = after.isLearner(id) ? ConfChange.addLearner(id) : ConfChange.addVoter(id);
    } else if (before.contains(id) || after.isRemoved(id)) {
      effective = ConfChange.remove(id);
    } else {
      effective = null;
    }
    if (effective != null) {
      rc.node.applyConfChange(effective);
    }
    if (!after.equals(before)) {
      rc.directory.setMembers(after);
      rc.ctx.getLog().info("{} applied membership change {}: {}", rc.memberHex(), cc, after);
    }
    if (after.isRemoved(rc.config.memberId())) {
      rc.removed();
    }
  }

  private static MemberChange memberChange(ConfChange cc) {
    if (cc.context().length == 0) {
      return null;
    }
    try {
      InternalRaftRequest r = InternalRaftRequest.parseFrom(cc.context());
      return r.hasMemberChange() ? r.getMemberChange() : null;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable committed conf change " + cc, e);
    }
  }

  /**
   * The known leader changed (logged as etcd's raft does): reads sent to the old one are answered
   * by nobody; with a leader known again, held proposals and reads are retried.
   */
  private void onLeaderChange(long from, long to) {
    long term = rc.node.hardState().term();
    if (to == 0) {
      rc.ctx.getLog().info("{} lost leader {} at term {}", rc.memberHex(), hex(from), term);
    } else if (from == 0) {
      rc.ctx.getLog().info("{} elected leader {} at term {}", rc.memberHex(), hex(to), term);
    } else {
      rc.ctx
          .getLog()
          .info(
              "{} changed leader from {} to {} at term {}",
              rc.memberHex(),
              hex(from),
              hex(to),
              term);
    }
    rc.reads.leaderChanged();
    rc.leaderIs(to);
    if (to != 0) {
      metrics.leaderChanges.inc();
      rc.held.retry();
    }
  }

  private static String hex(long id) {
    return Long.toHexString(id);
  }

  /**
   * A snapshot received from the leader is durable in the WAL (the receiver staged its MVCC store
   * before stepping it): the log now starts after it, and the KV actor swaps in the staged store
   * before it applies anything else.
   */
  private void installSnapshot(Snapshot s) {
    rc.storage.applySnapshot(s);
    retention.compacted(s.index());
    rc.ctx
        .getLog()
        .info(
            "member {}: the WAL starts at snapshot index {} (term {}) from the leader; installing"
                + " its MVCC store",
            rc.memberHex(),
            s.index(),
            s.term());
    rc.kv.tell(new KvActor.InstallSnapshot(s.index(), s.term()));
  }

  /**
   * Compact the WAL once enough applied entries are durable in the MVCC store, keeping a catch-up
   * tail and what a follower sent a snapshot still needs ({@link LogRetention}). The compaction
   * point becomes Raft's snapshot: a follower that needs entries before it gets the MVCC store
   * streamed (its consistent index is at or beyond that point).
   */
  Behavior<RaftNode.Command> onApplied(KvActor.AppliedTo applied) {
    long point =
        retention.compactionPoint(applied.durableIndex(), rc.storage.lastIndex(), this::matchOf);
    if (point != LogRetention.NONE) {
      ConfState conf = rc.node.status().confState();
      rc.storage.createSnapshot(point, conf, null);
      rc.storage.compact(point);
      retention.compacted(point);
      rc.wal.tell(new RaftLogStore.Compact(point, conf));
    }
    return rc.next();
  }

  /** A follower's match index in the leader's progress; -1 when it is not in it. */
  private long matchOf(long peer) {
    ProgressView p = rc.node.status().progress().get(peer);
    return p == null ? -1 : p.match();
  }
}
