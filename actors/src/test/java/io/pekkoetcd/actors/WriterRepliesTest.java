package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WriterRepliesTest {

  /** Runs nothing until told: shows that submit completes nothing on the caller's thread. */
  static final class ManualExecutor implements java.util.concurrent.Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable r) {
      tasks.add(r);
    }

    void runAll() {
      Runnable r;
      while ((r = tasks.poll()) != null) {
        r.run();
      }
    }
  }

  static PutResponse put(long rev) {
    return PutResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(rev)).build();
  }

  @Test
  void completesLaterInSubmitOrderWithFullHeaders() {
    PendingRequests pending = new PendingRequests(() -> 0L);
    ManualExecutor executor = new ManualExecutor();
    WriterReplies replies = new WriterReplies(pending, new Headers(11, 22), executor);
    List<PendingRequests.Registration> regs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      regs.add(pending.register());
    }
    List<Long> order = new ArrayList<>();
    for (PendingRequests.Registration r : regs) {
      r.result().whenComplete((m, e) -> order.add(r.id()));
    }
    WriterReplies.Batch first = new WriterReplies.Batch();
    first.ok(regs.get(0).id(), put(2));
    first.failed(regs.get(1).id(), new MvccException(MvccError.LEASE_NOT_FOUND));
    replies.submit(first, 5);
    WriterReplies.Batch second = new WriterReplies.Batch();
    second.ok(regs.get(2).id(), put(3));
    replies.submit(second, 5);

    assertThat(regs).noneMatch(r -> r.result().isDone());
    executor.runAll();

    assertThat(order).containsExactly(regs.get(0).id(), regs.get(1).id(), regs.get(2).id());
    Message m = regs.get(0).result().join();
    assertThat(((PutResponse) m).getHeader())
        .isEqualTo(
            ResponseHeader.newBuilder()
                .setClusterId(11)
                .setMemberId(22)
                .setRevision(2)
                .setRaftTerm(5)
                .build());
    CompletableFuture<Message> failed = regs.get(1).result();
    assertThat(failed).isCompletedExceptionally();
    assertThat(pending.size()).isZero();
  }
}
