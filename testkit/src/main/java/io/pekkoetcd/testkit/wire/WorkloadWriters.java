package io.pekkoetcd.testkit.wire;

import static io.pekkoetcd.testkit.wire.WatchWorkload.KEYS;
import static io.pekkoetcd.testkit.wire.WatchWorkload.VALUE;
import static io.pekkoetcd.testkit.wire.WatchWorkload.WRITERS;
import static io.pekkoetcd.testkit.wire.WatchWorkload.bs;
import static io.pekkoetcd.testkit.wire.WatchWorkload.key;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.StatusRuntimeException;
import io.pekkoetcd.testkit.watch.WatchChecker;
import io.pekkoetcd.testkit.watch.WatchChecker.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The {@link WatchWorkload}'s writer side: {@link WatchWorkload#WRITERS} threads, each with its own
 * seeded random, putting (6 in 10), deleting (2 in 10) and running two-key txns (2 in 10) through
 * the members in turn, skipping members that are draining or down. A write whose revision its
 * writer learned is recorded in the checker's history; one that failed, so its outcome is unknown,
 * goes to the {@link UndecidedWrites}. Owns the writer threads: {@link #close} interrupts them.
 */
final class WorkloadWriters implements AutoCloseable {
  private final WorkloadMembers members;
  private final WatchChecker checker;
  private final UndecidedWrites undecided;
  private final int opsPerWriter;
  private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
  private final List<Future<?>> writers = new ArrayList<>();

  WorkloadWriters(
      WorkloadMembers members, WatchChecker checker, UndecidedWrites undecided, int opsPerWriter) {
    this.members = members;
    this.checker = checker;
    this.undecided = undecided;
    this.opsPerWriter = opsPerWriter;
  }

  /** Start the writers, each seeded from {@code random}. */
  void start(Random random) {
    for (int w = 0; w < WRITERS; w++) {
      long writerSeed = random.nextLong();
      int writer = w;
      writers.add(pool.submit(() -> write(writer, new Random(writerSeed))));
    }
  }

  /**
   * Wait (up to 120 s) until the writers have recorded {@code fraction} of their writes after
   * {@code firstRevision} (or are done), polling.
   */
  void awaitWritten(double fraction, long firstRevision) throws InterruptedException {
    long target = (long) (WRITERS * opsPerWriter * fraction);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (checker.lastRevision() - firstRevision < target
        && writers.stream().anyMatch(f -> !f.isDone())
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10); // polling interval between checks of the condition
    }
  }

  /** Wait (up to 120 s each) for the writers to finish; a writer's failure is thrown. */
  void awaitDone() throws Exception {
    for (Future<?> f : writers) {
      f.get(120, TimeUnit.SECONDS);
    }
  }

  private void write(int writer, Random random) {
    for (int op = 0; op < opsPerWriter; op++) {
      int m = members.acquire(writer + op);
      KVGrpc.KVBlockingStub stub =
          KVGrpc.newBlockingStub(members.channel(m)).withDeadlineAfter(30, TimeUnit.SECONDS);
      int choice = random.nextInt(10);
      String tag = writer + "/" + op;
      List<Change> changes;
      try {
        if (choice < 6) {
          ByteString k = bs(key(random.nextInt(KEYS)));
          ByteString v = bs(VALUE + tag);
          changes = List.of(Change.put(k, v));
          try {
            long rev =
                stub.put(PutRequest.newBuilder().setKey(k).setValue(v).build())
                    .getHeader()
                    .getRevision();
            checker.record(rev, changes);
          } catch (StatusRuntimeException e) {
            undecided.add(changes, e.getStatus());
          }
        } else if (choice < 8) {
          ByteString k = bs(key(random.nextInt(KEYS)));
          changes = List.of(Change.delete(k));
          try {
            var r = stub.deleteRange(DeleteRangeRequest.newBuilder().setKey(k).build());
            if (r.getDeleted() > 0) {
              checker.record(r.getHeader().getRevision(), changes);
            }
          } catch (StatusRuntimeException e) {
            undecided.add(changes, e.getStatus());
          }
        } else {
          int a = random.nextInt(KEYS);
          int b = (a + 1 + random.nextInt(KEYS - 1)) % KEYS;
          ByteString ka = bs(key(a));
          ByteString kb = bs(key(b));
          ByteString v = bs("txn" + tag);
          changes = List.of(Change.put(ka, v), Change.put(kb, v));
          TxnRequest txn =
              TxnRequest.newBuilder()
                  .addSuccess(
                      RequestOp.newBuilder()
                          .setRequestPut(PutRequest.newBuilder().setKey(ka).setValue(v)))
                  .addSuccess(
                      RequestOp.newBuilder()
                          .setRequestPut(PutRequest.newBuilder().setKey(kb).setValue(v)))
                  .build();
          try {
            checker.record(stub.txn(txn).getHeader().getRevision(), changes);
          } catch (StatusRuntimeException e) {
            undecided.add(changes, e.getStatus());
          }
        }
      } finally {
        members.release(m);
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
