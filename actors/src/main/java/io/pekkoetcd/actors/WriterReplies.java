package io.pekkoetcd.actors;

import com.google.protobuf.Message;
import io.pekkoetcd.actors.apply.Applied;
import io.pekkoetcd.actors.apply.ApplyResult;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Completes the futures of the write requests this member proposed, off the {@code KvActor} thread:
 * completing a future runs the gRPC edge's continuations (building and sending the response), which
 * must not hold up the next apply.
 *
 * <p>Ordering: batches run one at a time, in the order {@link #submit} was called, and replies
 * within a batch in entry order, so a client sees its writes answered in log order. A reply is only
 * submitted after its batch was applied and published to the watch hub (durable before visible).
 * Thread-safe; {@link #submit} never blocks.
 */
final class WriterReplies {

  /** One reply of an apply batch: a response (header still partial) or a domain error. */
  record Reply(long id, Message response, Throwable error) {}

  private final PendingRequests pending;
  private final Headers headers;
  private final Executor executor;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  WriterReplies(PendingRequests pending, Headers headers, Executor executor) {
    this.pending = pending;
    this.headers = headers;
    this.executor = executor;
  }

  /** Collects the replies of one apply batch. */
  static final class Batch {
    private final List<Reply> replies = new ArrayList<>();

    /**
     * The replies to the entries {@code memberId} proposed, from their apply results ({@code
     * results.get(i)} is the result of {@code entries.get(i)}); skipped entries get none.
     */
    static Batch own(long memberId, List<Applied> entries, List<ApplyResult> results) {
      Batch b = new Batch();
      for (int i = 0; i < results.size(); i++) {
        InternalRaftRequest request = entries.get(i).request();
        if (request.getProposer() != memberId) {
          continue;
        }
        if (results.get(i) instanceof ApplyResult.Ok ok) {
          b.ok(request.getId(), ok.response());
        } else if (results.get(i) instanceof ApplyResult.Failed failed) {
          b.failed(request.getId(), new MvccException(failed.error()));
        } else if (results.get(i) instanceof ApplyResult.Refused refused) {
          b.failed(request.getId(), new ServerException(refused.error()));
        }
      }
      return b;
    }

    void ok(long id, Message response) {
      replies.add(new Reply(id, response, null));
    }

    void failed(long id, Throwable error) {
      replies.add(new Reply(id, null, error));
    }

    boolean isEmpty() {
      return replies.isEmpty();
    }
  }

  /**
   * Completes the batch's futures later, on the executor; their headers get {@code term}. The batch
   * is handed over: the caller does not touch it afterwards (the queue publishes it safely).
   */
  void submit(Batch batch, long term) {
    if (batch.isEmpty()) {
      return;
    }
    List<Reply> replies = batch.replies;
    queue.add(() -> complete(replies, term));
    schedule();
  }

  private void complete(List<Reply> replies, long term) {
    for (Reply r : replies) {
      if (r.error() != null) {
        pending.fail(r.id(), r.error());
        continue;
      }
      try {
        pending.complete(r.id(), headers.fill(r.response(), term));
      } catch (RuntimeException e) {
        pending.fail(r.id(), e);
      }
    }
  }

  private void schedule() {
    if (draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = queue.poll()) != null) {
        task.run();
      }
    } finally {
      draining.set(false);
      if (!queue.isEmpty()) {
        schedule();
      }
    }
  }
}
