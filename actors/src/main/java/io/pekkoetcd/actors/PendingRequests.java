package io.pekkoetcd.actors;

import com.google.protobuf.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The write requests this member proposed and is waiting for (etcd's {@code wait.Wait}): the gRPC
 * edge registers a future under a fresh id and proposes the request with that id; the {@code
 * KvActor} completes it when the entry carrying that id (and this member as proposer) has been
 * applied, or {@code RaftNode} fails it when the proposal is refused.
 *
 * <p>Ownership: thread-safe; futures are completed at most once, by whichever side gets there first
 * (apply, refusal or the caller's timeout). Ids are unique across restarts of the member: they
 * start from the injected seed (the wall clock in milliseconds shifted left, in production) and
 * only grow.
 */
public final class PendingRequests {
  private final ConcurrentHashMap<Long, CompletableFuture<Message>> waiting =
      new ConcurrentHashMap<>();
  private final AtomicLong nextId;

  public PendingRequests(LongSupplier idSeed) {
    this.nextId = new AtomicLong(idSeed.getAsLong());
  }

  /** A fresh id and the future that its apply (or refusal) completes. */
  public Registration register() {
    long id = nextId.incrementAndGet();
    CompletableFuture<Message> f = new CompletableFuture<>();
    waiting.put(id, f);
    f.whenComplete((r, e) -> waiting.remove(id));
    return new Registration(id, f);
  }

  public void complete(long id, Message response) {
    CompletableFuture<Message> f = waiting.get(id);
    if (f != null) {
      f.complete(response);
    }
  }

  public void fail(long id, Throwable error) {
    CompletableFuture<Message> f = waiting.get(id);
    if (f != null) {
      f.completeExceptionally(error);
    }
  }

  public int size() {
    return waiting.size();
  }

  /**
   * A registered request: propose it under {@code id}; {@code result} completes with its response.
   */
  public record Registration(long id, CompletableFuture<Message> result) {}
}
