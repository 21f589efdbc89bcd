package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.testkit.wire.WireWatchStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch stream whose client stops reading must not slow writes or other streams, must cost
 * bounded memory, and must miss nothing: once it reads again it gets every event in order, caught
 * up from history, or, if that history was compacted meanwhile, a cancel with {@code
 * compact_revision}.
 *
 * <p>2,000 puts of 8 KiB (16 MiB of events) are far more than the client's HTTP/2 window (64 KiB
 * here), the server's transport buffer per HTTP/2 stream and the stream's 128-response buffer, so
 * the stalled watcher necessarily becomes a victim.
 */
class WatchSlowReaderTest {
  static final int PUTS = 2_000;
  static final String VALUE = "x".repeat(8 * 1024);

  @TempDir Path dir;
  InProcessMember member;
  ManagedChannel channel;
  KVGrpc.KVBlockingStub kv;

  @BeforeEach
  void start() throws Exception {
    member = InProcessMember.start(dir.resolve("data"), "slow-reader");
    channel =
        // A fixed 64 KiB HTTP/2 window (no BDP auto-tuning), so that what the client does not read
        // stays on the server.
        NettyChannelBuilder.forAddress("127.0.0.1", member.port())
            .usePlaintext()
            .flowControlWindow(64 * 1024)
            .maxInboundMessageSize(64 << 20)
            .build();
    kv = KVGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    member.close();
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /**
   * Create a watcher on prefix "s/" on {@code s}, from now on; returns the stream's revision at
   * creation.
   */
  static long watchPrefix(WireWatchStream s) throws InterruptedException {
    s.create(WatchCreateRequest.newBuilder().setKey(bs("s/")).setRangeEnd(bs("s0")));
    WatchResponse created = s.next();
    assertThat(created.getCreated()).isTrue();
    return created.getHeader().getRevision();
  }

  /**
   * Write the puts; every one is acknowledged while the stalled stream reads nothing. Returns the
   * revisions.
   */
  long[] writeAll() {
    long[] revs = new long[PUTS];
    long start = System.nanoTime();
    for (int i = 0; i < PUTS; i++) {
      revs[i] =
          kv.withDeadlineAfter(30, TimeUnit.SECONDS)
              .put(PutRequest.newBuilder().setKey(bs("s/" + i)).setValue(bs(VALUE)).build())
              .getHeader()
              .getRevision();
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf(
        "%d puts of 8 KiB with a stalled watcher: %d ms (%.0f puts/s)%n",
        PUTS, ms, PUTS * 1000.0 / ms);
    return revs;
  }

  /**
   * Read events until {@code n} arrived or a cancel came; returns them in order (and the cancel, if
   * any).
   */
  static List<WatchResponse> readUntil(WireWatchStream s, int n) throws InterruptedException {
    List<WatchResponse> out = new ArrayList<>();
    int events = 0;
    while (events < n) {
      WatchResponse r = s.next();
      out.add(r);
      events += r.getEventsCount();
      if (r.getCanceled()) {
        break;
      }
    }
    return out;
  }

  static List<Event> events(List<WatchResponse> rs) {
    return rs.stream().flatMap(r -> r.getEventsList().stream()).toList();
  }

  @Test
  void aStalledReaderDoesNotBlockWritesAndThenCatchesUpWithoutGaps() throws Exception {
    try (WireWatchStream stalled = new WireWatchStream(channel, true);
        WireWatchStream live = new WireWatchStream(channel, false)) {
      stalled.request(1);
      watchPrefix(stalled);
      watchPrefix(live);
      long[] revs = writeAll();
      assertThat(stalled.responses).as("nothing reached the stalled client yet").isEmpty();
      // Another stream on the same connection was served all along.
      List<Event> liveEvents = events(readUntil(live, PUTS));
      assertThat(liveEvents).hasSize(PUTS);
      // Now the stalled client reads again.
      stalled.request(Integer.MAX_VALUE);
      List<WatchResponse> responses = readUntil(stalled, PUTS);
      assertThat(responses).noneMatch(WatchResponse::getCanceled);
      List<Event> got = events(responses);
      assertThat(got).hasSize(PUTS);
      for (int i = 0; i < PUTS; i++) {
        assertThat(got.get(i).getKv().getModRevision()).as("event " + i).isEqualTo(revs[i]);
        assertThat(got.get(i).getKv().getKey().toStringUtf8()).isEqualTo("s/" + i);
      }
      // Caught up from history: fewer responses than revisions (catch-up batches hold up to 1000
      // revisions).
      assertThat(responses.size()).isLessThan(PUTS);
    }
  }

  @Test
  void aStalledReaderWhoseHistoryWasCompactedGetsACompactedCancelAfterAGaplessPrefix()
      throws Exception {
    try (WireWatchStream stalled = new WireWatchStream(channel, true)) {
      stalled.request(1);
      watchPrefix(stalled);
      long[] revs = writeAll();
      long last = revs[PUTS - 1];
      kv.compact(CompactionRequest.newBuilder().setRevision(last).setPhysical(true).build());
      stalled.request(Integer.MAX_VALUE);
      List<WatchResponse> responses = readUntil(stalled, PUTS);
      WatchResponse cancel = responses.get(responses.size() - 1);
      assertThat(cancel.getCanceled()).as("the last response cancels").isTrue();
      assertThat(cancel.getCompactRevision()).isEqualTo(last);
      assertThat(cancel.getCancelReason()).isEmpty();
      List<Event> got = events(responses);
      assertThat(got.size()).isLessThan(PUTS);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).getKv().getModRevision()).as("event " + i).isEqualTo(revs[i]);
      }
    }
  }
}
