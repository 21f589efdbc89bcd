package io.pekkoetcd.watch;

import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The seam through which watchers that are behind read the MVCC history. The store is owned by
 * another actor (and is not thread-safe), so a read is asynchronous; the actors module implements
 * this by asking the KV actor.
 */
public interface WatchHistory {

  /**
   * The events of revisions {@code fromRev..}, at most {@code maxRevisions} whole revisions (a
   * revision is never split), with {@code prev_kv} where still in history.
   */
  CompletionStage<Batch> read(long fromRev, int maxRevisions);

  /** The answer to {@link #read}. */
  sealed interface Batch permits Events, Compacted {}

  /**
   * @param events the events, in (revision, sub-revision) order
   * @param throughRevision every event of revisions {@code fromRev..throughRevision} is in {@code
   *     events}
   * @param currentRevision the store's revision when it was read (≥ throughRevision)
   */
  record Events(List<Event> events, long throughRevision, long currentRevision) implements Batch {
    public Events {
      events = List.copyOf(events);
    }
  }

  /** {@code fromRev} is below the store's compacted revision: that history is gone. */
  record Compacted(long compactedRevision) implements Batch {}
}
