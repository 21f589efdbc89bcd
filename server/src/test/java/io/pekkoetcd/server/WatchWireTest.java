package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.testkit.wire.WireWatchStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch request fields and answers jetcd's watch client cannot express or does not show (explicit
 * and duplicate watch IDs, cancel, unknown IDs, empty ranges, negative start revisions, fragments,
 * response headers, ordering of created responses), over one raw gRPC stream with etcd 3.5's
 * messages (writes through jetcd's KV stubs) (shared/etcd-api.md §2.8).
 */
class WatchWireTest {
  @TempDir static Path dir;
  static InProcessMember member;
  static ManagedChannel channel;
  static KVGrpc.KVBlockingStub kv;

  @BeforeAll
  static void start() throws Exception {
    member = InProcessMember.start(dir.resolve("data"), "watch-wire-test");
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", member.port())
            .usePlaintext()
            .maxInboundMessageSize(16 << 20)
            .build();
    kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    member.close();
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static long put(String k, String v) {
    return kv.put(PutRequest.newBuilder().setKey(bs(k)).setValue(bs(v)).build())
        .getHeader()
        .getRevision();
  }

  static long current() {
    return kv.range(RangeRequest.newBuilder().setKey(bs("nothing")).build())
        .getHeader()
        .getRevision();
  }

  static WatchCreateRequest.Builder on(String key) {
    return WatchCreateRequest.newBuilder().setKey(bs(key));
  }

  static void assertFullHeader(ResponseHeader h) {
    assertThat(h.getClusterId()).isNotZero();
    assertThat(h.getMemberId()).isNotZero();
    assertThat(h.getRaftTerm()).isPositive();
  }

  static WatchResponse created(WatchResponse r) {
    assertThat(r.getCreated()).as(r.toString()).isTrue();
    assertThat(r.getCanceled()).as(r.toString()).isFalse();
    assertFullHeader(r.getHeader());
    return r;
  }

  @Test
  void autoIdsStartAtZeroSkipIdsInUseAndDuplicatesAreRefused() throws Exception {
    try (WireWatchStream s = new WireWatchStream(channel, false)) {
      s.create(on("ids"));
      assertThat(created(s.next()).getWatchId()).isEqualTo(0);
      s.create(on("ids").setWatchId(1));
      assertThat(created(s.next()).getWatchId()).isEqualTo(1);
      s.create(on("ids").setWatchId(7));
      assertThat(created(s.next()).getWatchId()).isEqualTo(7);
      s.create(on("ids"));
      assertThat(created(s.next()).getWatchId()).isEqualTo(2);
      s.create(on("ids").setWatchId(7));
      WatchResponse dup = s.next();
      assertThat(dup.getCreated()).isTrue();
      assertThat(dup.getCanceled()).isTrue();
      assertThat(dup.getWatchId()).isEqualTo(-1);
      assertThat(dup.getCancelReason())
          .isEqualTo("mvcc: duplicate watch ID provided on the WatchStream");
      assertFullHeader(dup.getHeader());
      // Canceling ID 0 does not make the counter reuse it.
      s.cancel(0);
      WatchResponse canceled = s.next();
      assertThat(canceled.getWatchId()).isEqualTo(0);
      assertThat(canceled.getCanceled()).isTrue();
      assertThat(canceled.getCreated()).isFalse();
      assertThat(canceled.getCancelReason()).isEmpty();
      assertFullHeader(canceled.getHeader());
      s.create(on("ids"));
      assertThat(created(s.next()).getWatchId()).isEqualTo(3);
      // Events go to the explicit ID too.
      long rev = put("ids", "v");
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        WatchResponse r = s.next();
        assertThat(r.getHeader().getRevision()).isEqualTo(rev);
        ids.add(r.getWatchId());
      }
      assertThat(ids).containsExactlyInAnyOrder(1L, 2L, 3L, 7L);
    }
  }

  @Test
  void cancelOfAnUnknownIdIsIgnoredAndAProgressRequestWithoutWatchersIsNotAnswered()
      throws Exception {
    try (WireWatchStream s = new WireWatchStream(channel, false)) {
      s.cancel(42);
      s.progress();
      s.create(on("x"));
      // The first answer on the stream is the created response.
      assertThat(created(s.next()).getWatchId()).isEqualTo(0);
      s.progress();
      WatchResponse progress = s.next();
      assertThat(progress.getWatchId()).isEqualTo(-1);
      assertThat(progress.getCreated()).isFalse();
      assertThat(progress.getEventsCount()).isZero();
      assertThat(progress.getHeader().getRevision()).isEqualTo(current());
    }
  }

  @Test
  void emptyRangeAndNegativeStartRevisionAreRefused() throws Exception {
    try (WireWatchStream s = new WireWatchStream(channel, false)) {
      s.create(on("b").setRangeEnd(bs("a")));
      WatchResponse empty = s.next();
      assertThat(empty.getCreated()).isTrue();
      assertThat(empty.getCanceled()).isTrue();
      assertThat(empty.getWatchId()).isEqualTo(-1);
      assertThat(empty.getCancelReason()).isEqualTo("mvcc: watcher range is empty");
      s.create(on("b").setRangeEnd(bs("b")));
      assertThat(s.next().getCancelReason()).isEqualTo("mvcc: watcher range is empty");
      s.create(on("b").setStartRevision(-1));
      WatchResponse negative = s.next();
      assertThat(negative.getCreated()).isTrue();
      assertThat(negative.getCanceled()).isTrue();
      assertThat(negative.getWatchId()).isEqualTo(-1);
      assertThat(negative.getCancelReason())
          .isEqualTo("etcdserver: mvcc: required revision has been compacted");
      // None of them used an ID.
      s.create(on("b"));
      assertThat(created(s.next()).getWatchId()).isEqualTo(0);
    }
  }

  @Test
  void emptyKeyWithZeroRangeEndWatchesEveryKey() throws Exception {
    try (WireWatchStream s = new WireWatchStream(channel, false)) {
      s.create(WatchCreateRequest.newBuilder().setRangeEnd(ByteString.copyFrom(new byte[] {0})));
      created(s.next());
      long rev = put("any-key-" + System.nanoTime(), "v");
      assertThat(s.next().getEvents(0).getKv().getModRevision()).isEqualTo(rev);
    }
  }

  @Test
  void createsAreAnsweredInOrderAndCreatedPrecedesEvents() throws Exception {
    long first = put("order", "1");
    put("order", "2");
    try (WireWatchStream s = new WireWatchStream(channel, false)) {
      // A replaying watcher, then a watcher from now on, sent back to back.
      s.create(on("order").setStartRevision(first));
      s.create(on("order"));
      // The replay may come before or after B's created response (B's request may not have been
      // read yet), but
      // A's created precedes A's events, and A's created precedes B's.
      List<WatchResponse> rs = List.of(s.next(), s.next(), s.next());
      WatchResponse a = created(rs.get(0));
      assertThat(a.getWatchId()).isEqualTo(0);
      WatchResponse b =
          rs.stream().filter(WatchResponse::getCreated).skip(1).findFirst().orElseThrow();
      assertThat(created(b).getWatchId()).isEqualTo(1);
      WatchResponse replay = rs.stream().filter(r -> !r.getCreated()).findFirst().orElseThrow();
      assertThat(replay.getWatchId()).isEqualTo(0);
      assertThat(replay.getEventsList().stream().map(e -> e.getKv().getValue().toStringUtf8()))
          .containsExactly("1", "2");
      assertFullHeader(replay.getHeader());
    }
  }

  @Test
  void aTxnIsOneResponseWithAllItsEventsInOrder() throws Exception {
    try (WireWatchStream s = new WireWatchStream(channel, false)) {
      s.create(on("t/").setRangeEnd(bs("t0")));
      created(s.next());
      TxnRequest txn =
          TxnRequest.newBuilder()
              .addSuccess(
                  RequestOp.newBuilder()
                      .setRequestPut(PutRequest.newBuilder().setKey(bs("t/b")).setValue(bs("1"))))
              .addSuccess(
                  RequestOp.newBuilder()
                      .setRequestPut(PutRequest.newBuilder().setKey(bs("t/a")).setValue(bs("2"))))
              .build();
      long rev = kv.txn(txn).getHeader().getRevision();
      WatchResponse r = s.next();
      assertThat(r.getHeader().getRevision()).isEqualTo(rev);
      assertThat(r.getEventsList().stream().map(e -> e.getKv().getKey().toStringUtf8()))
          .containsExactly("t/b", "t/a");
      assertThat(r.getEventsList()).allMatch(e -> e.getType() == Event.EventType.PUT);
    }
  }

  @Test
  void bigResponsesAreFragmentedOnlyWhenAsked() throws Exception {
    // 25 values of 90 KiB: one catch-up response of ~2.2 MiB, above --max-request-bytes + 512 KiB
    // (2 MiB).
    String value = "v".repeat(90 * 1024);
    long first = 0;
    for (int i = 0; i < 25; i++) {
      long rev = put(String.format("frag/%02d", i), value);
      first = first == 0 ? rev : first;
    }
    long limit = 1_572_864 + 512 * 1024;
    try (WireWatchStream s = new WireWatchStream(channel, false)) {
      s.create(on("frag/").setRangeEnd(bs("frag0")).setStartRevision(first).setFragment(true));
      created(s.next());
      List<Event> events = new ArrayList<>();
      int fragments = 0;
      while (events.size() < 25) {
        WatchResponse r = s.next();
        fragments++;
        assertThat(r.getSerializedSize()).isLessThan((int) limit);
        events.addAll(r.getEventsList());
        assertThat(r.getFragment())
            .as("fragment flag of response " + fragments)
            .isEqualTo(events.size() < 25);
      }
      assertThat(fragments).isGreaterThan(1);
      assertThat(events.stream().map(e -> e.getKv().getKey().toStringUtf8()))
          .containsExactlyElementsOf(
              java.util.stream.IntStream.range(0, 25)
                  .mapToObj(i -> String.format("frag/%02d", i))
                  .toList());
    }
    try (WireWatchStream s = new WireWatchStream(channel, false)) {
      s.create(on("frag/").setRangeEnd(bs("frag0")).setStartRevision(first));
      created(s.next());
      WatchResponse whole = s.next();
      assertThat(whole.getEventsCount()).isEqualTo(25);
      assertThat(whole.getFragment()).isFalse();
      assertThat(whole.getSerializedSize()).isGreaterThanOrEqualTo((int) limit);
    }
  }
}
