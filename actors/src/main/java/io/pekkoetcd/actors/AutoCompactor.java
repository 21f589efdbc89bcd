package io.pekkoetcd.actors;

import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.Cancellable;

/**
 * The shell of {@link AutoCompaction}: a fixed-delay task on Pekko's scheduler that asks the Raft
 * node who leads, ticks the core with the time and the applied revision, and proposes the
 * compaction it answers through Raft like a client's ({@code etcdctl compact}). A compaction that
 * finds the revision already compacted counts as done, as etcd.
 */
final class AutoCompactor {
  private AutoCompactor() {}

  /** Starts auto-compaction for {@code member} if configured; null otherwise. */
  static Cancellable start(EtcdMember member) {
    AutoCompaction core = AutoCompaction.of(member.config().maintenance(), System.nanoTime());
    if (core == null) {
      return null;
    }
    var system = member.system();
    return system
        .scheduler()
        .scheduleWithFixedDelay(
            core.tickInterval(),
            core.tickInterval(),
            () -> tick(member, core),
            system.executionContext());
  }

  private static void tick(EtcdMember member, AutoCompaction core) {
    member
        .leader()
        .thenAccept(
            leader -> {
              OptionalLong target;
              synchronized (core) {
                target =
                    core.tick(
                        System.nanoTime(),
                        member.currentRevision(),
                        leader == member.config().memberId());
              }
              if (target.isPresent()) {
                long rev = target.getAsLong();
                member
                    .compact(CompactionRequest.newBuilder().setRevision(rev).build())
                    .whenComplete(
                        (r, e) -> {
                          Throwable cause = e instanceof CompletionException ? e.getCause() : e;
                          if (e == null
                              || cause instanceof MvccException m
                                  && m.error() == MvccError.COMPACTED) {
                            synchronized (core) {
                              core.compacted(rev, System.nanoTime());
                            }
                            member
                                .system()
                                .log()
                                .info("auto-compaction: compacted to revision {}", rev);
                          }
                        });
              }
            });
  }
}
