package io.pekkoetcd.actors;

import io.pekkoetcd.mvcc.MvccImport;
import io.pekkoetcd.raft.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32C;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The follower's end of MVCC snapshot streaming (a child of the {@link RaftNode}, at {@code
 * /user/raft/snapshots}, an Artery large-message destination so that chunks never delay heartbeats
 * on the ordinary lane).
 *
 * <p>Chunks of one transfer arrive in order ({@code seq} 0, 1, ...) and are written into a fresh
 * LevelDB under {@code member/snap} ({@link SnapshotFiles#staging}) as they come; each is
 * acknowledged once written, which is the sender's flow control. The last chunk carries the length
 * and CRC-32C of the whole stream: only when both match is the store made durable and published as
 * the staged store for the snapshot's index, and only then is the {@code MsgSnap} handed to the
 * Raft node to step ({@link SnapshotFiles} explains the crash-safety order). Any failure (checksum
 * or length mismatch, a chunk out of order, an I/O error) deletes the staging directory and answers
 * with an error, so the leader reports the snapshot failed and Raft retries later.
 *
 * <p>One transfer at a time: a follower has one leader. A new transfer (seq 0) replaces an
 * unfinished one; a transfer idle for {@code idleTimeout} is given up. Blocking disk I/O: runs on
 * {@code pekko-etcd.snapshot-dispatcher}.
 */
public final class SnapshotReceiver {
  private SnapshotReceiver() {}

  /** Messages understood by the receiver. */
  public sealed interface Command {}

  /**
   * One chunk of transfer {@code transferId} of the snapshot {@code msgSnap} names; {@code
   * totalBytes} and {@code crc32c} (over all chunks' data) are set on the {@code last} chunk only.
   * Acks go to {@code replyTo}.
   */
  public record Chunk(
      long clusterId,
      long transferId,
      Message.MsgSnap msgSnap,
      long seq,
      byte[] data,
      boolean last,
      long totalBytes,
      int crc32c,
      ActorRef<SnapshotSender.Command> replyTo)
      implements Command {}

  private enum Idle implements Command {
    INSTANCE
  }

  /** The receiver's name under the Raft node (itself {@code /user/raft}). */
  static final String NAME = "snapshots";

  /**
   * {@code clusterId}: chunks from another cluster are refused, as {@link PeerFilter} drops its
   * messages.
   */
  static Behavior<Command> create(
      long clusterId, Path snapDir, ActorRef<RaftNode.Command> raft, Duration idleTimeout) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new State(ctx, timers, clusterId, snapDir, raft, idleTimeout).behavior()));
  }

  /** A transfer being received. */
  private static final class Transfer {
    final long id;
    final Message.MsgSnap msgSnap;
    final Path staging;
    final MvccImport store;
    final CRC32C crc = new CRC32C();
    final long startNanos = System.nanoTime();
    long nextSeq;
    long bytes;

    Transfer(long id, Message.MsgSnap msgSnap, Path staging) {
      this.id = id;
      this.msgSnap = msgSnap;
      this.staging = staging;
      this.store = MvccImport.begin(staging);
    }
  }

  private static final class State {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final long clusterId;
    private final Path snapDir;
    private final ActorRef<RaftNode.Command> raft;
    private final Duration idleTimeout;
    private Transfer current;

    State(
        ActorContext<Command> ctx,
        TimerScheduler<Command> timers,
        long clusterId,
        Path snapDir,
        ActorRef<RaftNode.Command> raft,
        Duration idleTimeout) {
      this.ctx = ctx;
      this.timers = timers;
      this.clusterId = clusterId;
      this.snapDir = snapDir;
      this.raft = raft;
      this.idleTimeout = idleTimeout;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Chunk.class, this::onChunk)
          .onMessageEquals(Idle.INSTANCE, this::onIdle)
          .onSignal(PostStop.class, s -> abort("receiver stopped"))
          .build();
    }

    private Behavior<Command> onChunk(Chunk c) {
      if (c.clusterId() != clusterId) {
        return refuse(c, "request cluster ID mismatch");
      }
      if (current != null && current.id != c.transferId()) {
        if (c.seq() != 0) {
          return refuse(c, "unknown transfer " + Long.toHexString(c.transferId()));
        }
        abort("replaced by transfer " + Long.toHexString(c.transferId()));
      }
      if (current == null) {
        if (c.seq() != 0) {
          return refuse(c, "unknown transfer " + Long.toHexString(c.transferId()));
        }
        try {
          current =
              new Transfer(
                  c.transferId(), c.msgSnap(), SnapshotFiles.staging(snapDir, c.transferId()));
        } catch (RuntimeException e) {
          return refuse(c, "cannot stage: " + e.getMessage());
        }
        ctx.getLog()
            .info(
                "receiving MVCC snapshot from {} for raft index {} (term {}), transfer {}",
                Long.toHexString(c.msgSnap().from()),
                c.msgSnap().snapshot().index(),
                c.msgSnap().snapshot().term(),
                Long.toHexString(c.transferId()));
      }
      Transfer t = current;
      if (c.seq() != t.nextSeq) {
        return fail(c, "chunk " + c.seq() + " out of order (expected " + t.nextSeq + ")");
      }
      try {
        t.crc.update(c.data());
        t.store.accept(c.data(), 0, c.data().length);
        t.bytes += c.data().length;
        t.nextSeq++;
        timers.startSingleTimer(Idle.INSTANCE, idleTimeout);
        if (!c.last()) {
          c.replyTo().tell(new SnapshotSender.Ack(t.id, c.seq(), false, ""));
          return Behaviors.same();
        }
        if (t.bytes != c.totalBytes() || (int) t.crc.getValue() != c.crc32c()) {
          return fail(
              c,
              String.format(
                  "checksum mismatch: %d bytes crc32c %08x received, %d bytes crc32c %08x sent",
                  t.bytes, (int) t.crc.getValue(), c.totalBytes(), c.crc32c()));
        }
        t.store.finish();
        SnapshotFiles.publish(t.staging, snapDir, t.msgSnap.snapshot().index());
      } catch (Exception e) {
        return fail(c, e.toString());
      }
      timers.cancel(Idle.INSTANCE);
      current = null;
      ctx.getLog()
          .info(
              "received MVCC snapshot from {} for raft index {} (term {}): {} bytes, {} records, {} chunks, {} ms",
              Long.toHexString(t.msgSnap.from()),
              t.msgSnap.snapshot().index(),
              t.msgSnap.snapshot().term(),
              t.bytes,
              t.store.records(),
              t.nextSeq,
              (System.nanoTime() - t.startNanos) / 1_000_000);
      // Staged and durable: now Raft may take the snapshot (its Ready makes the KV actor install
      // it).
      raft.tell(new RaftNode.Step(t.msgSnap));
      c.replyTo().tell(new SnapshotSender.Ack(t.id, c.seq(), true, ""));
      return Behaviors.same();
    }

    private Behavior<Command> refuse(Chunk c, String why) {
      c.replyTo().tell(new SnapshotSender.Ack(c.transferId(), c.seq(), false, why));
      return Behaviors.same();
    }

    private Behavior<Command> fail(Chunk c, String why) {
      ctx.getLog()
          .warn(
              "MVCC snapshot transfer {} from {} failed: {}",
              Long.toHexString(c.transferId()),
              Long.toHexString(c.msgSnap().from()),
              why);
      abort(why);
      return refuse(c, why);
    }

    private Behavior<Command> onIdle() {
      if (current != null) {
        ctx.getLog()
            .warn(
                "MVCC snapshot transfer {} idle for {}: given up",
                Long.toHexString(current.id),
                idleTimeout);
        abort("idle");
      }
      return Behaviors.same();
    }

    private Behavior<Command> abort(String why) {
      if (current != null) {
        ctx.getLog()
            .debug("aborting MVCC snapshot transfer {}: {}", Long.toHexString(current.id), why);
        current.store.abort();
        current = null;
        timers.cancel(Idle.INSTANCE);
      }
      return Behaviors.same();
    }
  }
}
