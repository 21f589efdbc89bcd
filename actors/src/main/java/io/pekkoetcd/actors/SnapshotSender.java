package io.pekkoetcd.actors;

import io.pekkoetcd.mvcc.MvccExport;
import io.pekkoetcd.raft.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The leader's end of one MVCC snapshot transfer to one follower (a child of the {@link RaftNode},
 * which runs at most one per follower). Raft's {@code MsgSnap} carries only the snapshot's
 * metadata; this actor sends it together with the whole MVCC store, as etcd merges its snapshot
 * message with the backend db.
 *
 * <p>The image is a point-in-time {@link MvccExport} the {@link KvActor} takes between two apply
 * batches (so its consistent index is at or beyond the snapshot's index; entries up to it are
 * skipped by the follower's store). The KV actor only creates the LevelDB snapshot; this actor
 * reads it, chunk by chunk, on the {@code pekko-etcd.snapshot-dispatcher}, so the KV actor's apply
 * loop is never blocked by the transfer.
 *
 * <p>Flow control: at most {@link Settings#window} unacknowledged chunks of at most {@link
 * Settings#chunkBytes} each; the receiver acknowledges each once written. The last chunk carries
 * the stream's length and CRC-32C. The transfer fails when an ack says so, when no ack arrives
 * within {@link Settings#ackTimeout}, or when the image cannot be read. Either way the parent hears
 * {@link Finished} exactly once, then this actor stops (closing the image).
 */
public final class SnapshotSender {
  private SnapshotSender() {}

  /** Messages understood by the sender. */
  public sealed interface Command {}

  /**
   * The receiver's answer to chunk {@code seq} of {@code transferId}: written ({@code done}: the
   * whole snapshot is staged and handed to Raft), or given up with a non-empty {@code error}.
   */
  public record Ack(long transferId, long seq, boolean done, String error) implements Command {}

  /**
   * What the parent hears when the transfer ended; {@code sender} names the transfer, so a report
   * from a stopped sender is never taken for a newer transfer to the same peer.
   */
  public record Finished(
      long peer, boolean success, long bytes, long chunks, ActorRef<Command> sender) {}

  /** Where chunks go: resolves the follower's receiver (over Artery, or a local actor in tests). */
  @FunctionalInterface
  public interface Target {
    CompletionStage<ActorRef<SnapshotReceiver.Command>> resolve();
  }

  /**
   * Chunk size, window of unacknowledged chunks, and how long to wait for an ack (or the image, or
   * the peer).
   */
  public record Settings(int chunkBytes, int window, Duration ackTimeout) {
    /** 1 MiB chunks (under Artery's 2 MiB large-message frames), 4 in flight, 10 s per ack. */
    public static Settings defaults() {
      return new Settings(1 << 20, 4, Duration.ofSeconds(10));
    }
  }

  private record Exported(KvActor.Exported exported) implements Command {}

  private record Resolved(ActorRef<SnapshotReceiver.Command> receiver, Throwable failure)
      implements Command {}

  private enum Timeout implements Command {
    INSTANCE
  }

  static Behavior<Command> create(
      long clusterId,
      Message.MsgSnap msgSnap,
      ActorRef<KvActor.Command> kv,
      Target target,
      ActorRef<Finished> parent,
      Settings settings) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new State(ctx, timers, clusterId, msgSnap, kv, target, parent, settings)
                        .behavior()));
  }

  private static final class State {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final long clusterId;
    private final Message.MsgSnap msgSnap;
    private final ActorRef<Finished> parent;
    private final Settings settings;
    private final long transferId = ThreadLocalRandom.current().nextLong();
    private final CRC32C crc = new CRC32C();
    private MvccExport export;
    private ActorRef<SnapshotReceiver.Command> receiver;
    private long startNanos;
    private long nextSeq;
    private long acked = -1;
    private long bytes;
    private boolean lastSent;

    State(
        ActorContext<Command> ctx,
        TimerScheduler<Command> timers,
        long clusterId,
        Message.MsgSnap msgSnap,
        ActorRef<KvActor.Command> kv,
        Target target,
        ActorRef<Finished> parent,
        Settings settings) {
      this.ctx = ctx;
      this.timers = timers;
      this.clusterId = clusterId;
      this.msgSnap = msgSnap;
      this.parent = parent;
      this.settings = settings;
      kv.tell(
          new KvActor.ExportSnapshot(ctx.messageAdapter(KvActor.Exported.class, Exported::new)));
      ctx.pipeToSelf(target.resolve(), Resolved::new);
      timers.startSingleTimer(Timeout.INSTANCE, settings.ackTimeout());
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Exported.class, this::onExported)
          .onMessage(Resolved.class, this::onResolved)
          .onMessage(Ack.class, this::onAck)
          .onMessageEquals(Timeout.INSTANCE, this::onTimeout)
          .onSignal(PostStop.class, s -> closeExport())
          .build();
    }

    private Behavior<Command> onExported(Exported e) {
      if (e.exported().failure() != null) {
        return finish(false, "the store cannot be exported: " + e.exported().failure());
      }
      export = e.exported().export();
      if (export.consistentIndex() < msgSnap.snapshot().index()) {
        return finish(
            false,
            "the store's consistent index "
                + export.consistentIndex()
                + " is below the snapshot's "
                + msgSnap.snapshot().index());
      }
      return startIfReady();
    }

    private Behavior<Command> onResolved(Resolved r) {
      if (r.failure() != null) {
        return finish(false, "peer's snapshot receiver not reachable: " + r.failure());
      }
      receiver = r.receiver();
      return startIfReady();
    }

    private Behavior<Command> startIfReady() {
      if (export == null || receiver == null) {
        return Behaviors.same();
      }
      startNanos = System.nanoTime();
      ctx.getLog()
          .info(
              "sending MVCC snapshot to {} for raft index {} (term {}): store at revision {}, consistent index {},"
                  + " about {} bytes, transfer {}",
              Long.toHexString(msgSnap.to()),
              msgSnap.snapshot().index(),
              msgSnap.snapshot().term(),
              export.revision(),
              export.consistentIndex(),
              export.approximateBytes(),
              Long.toHexString(transferId));
      return fillWindow();
    }

    /** Sends chunks while fewer than {@code window} are unacknowledged. */
    private Behavior<Command> fillWindow() {
      while (!lastSent && nextSeq - acked - 1 < settings.window()) {
        byte[] buf = new byte[settings.chunkBytes()];
        int n;
        try {
          n = export.read(buf, 0, buf.length);
        } catch (IOException e) {
          return finish(false, "reading the store image failed: " + e.getMessage());
        }
        // read fills the buffer unless the image ends: a short read is the last chunk (an empty one
        // if the image
        // ended exactly at a chunk boundary).
        boolean last = n < buf.length;
        byte[] data = n == buf.length ? buf : java.util.Arrays.copyOf(buf, Math.max(n, 0));
        crc.update(data);
        bytes += data.length;
        receiver.tell(
            new SnapshotReceiver.Chunk(
                clusterId,
                transferId,
                msgSnap,
                nextSeq,
                data,
                last,
                last ? bytes : 0,
                last ? (int) crc.getValue() : 0,
                ctx.getSelf()));
        nextSeq++;
        lastSent = last;
      }
      timers.startSingleTimer(Timeout.INSTANCE, settings.ackTimeout());
      return Behaviors.same();
    }

    private Behavior<Command> onAck(Ack a) {
      if (a.transferId() != transferId) {
        return Behaviors.same();
      }
      if (!a.error().isEmpty()) {
        return finish(false, "the follower refused chunk " + a.seq() + ": " + a.error());
      }
      if (a.done()) {
        return finish(true, "");
      }
      acked = Math.max(acked, a.seq());
      return fillWindow();
    }

    private Behavior<Command> onTimeout() {
      return finish(false, "no answer within " + settings.ackTimeout());
    }

    private Behavior<Command> finish(boolean success, String why) {
      long ms = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
      if (success) {
        ctx.getLog()
            .info(
                "sent MVCC snapshot to {} for raft index {}: {} bytes, {} chunks, {} ms",
                Long.toHexString(msgSnap.to()),
                msgSnap.snapshot().index(),
                bytes,
                nextSeq,
                ms);
      } else {
        ctx.getLog()
            .warn(
                "MVCC snapshot to {} for raft index {} failed after {} bytes, {} ms: {}",
                Long.toHexString(msgSnap.to()),
                msgSnap.snapshot().index(),
                bytes,
                ms,
                why);
      }
      parent.tell(new Finished(msgSnap.to(), success, bytes, nextSeq, ctx.getSelf()));
      return Behaviors.stopped();
    }

    private Behavior<Command> closeExport() {
      if (export != null) {
        export.close();
      }
      return Behaviors.same();
    }
  }
}
