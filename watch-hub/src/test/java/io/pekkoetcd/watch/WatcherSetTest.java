package io.pekkoetcd.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WatcherSet} without actors: the watcher groups (synced, unsynced, victims), catch-up from
 * history, the bounded buffer, compaction, IDs, filters, progress and fragments, driven call by
 * call.
 */
class WatcherSetTest {

  /** A buffer of {@code capacity} event responses; control responses always fit. */
  static final class ListOutbox implements WatcherSet.Outbox {
    final List<WatchResponse> out = new ArrayList<>();
    int capacity;
    int events;

    ListOutbox(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public boolean offerEvents(List<WatchResponse> fragments) {
      if (events >= capacity) {
        return false;
      }
      events += fragments.size();
      out.addAll(fragments);
      return true;
    }

    @Override
    public void control(WatchResponse response) {
      out.add(response);
    }

    /** Hand everything to the client; the buffer is empty again. */
    List<WatchResponse> drain() {
      List<WatchResponse> d = new ArrayList<>(out);
      out.clear();
      events = 0;
      return d;
    }
  }

  static final WatchSettings SETTINGS =
      new WatchSettings(1, 2, Duration.ofMinutes(10), 2_000, 4, 1000);

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static Event put(String key, long rev) {
    return Event.newBuilder()
        .setType(Event.EventType.PUT)
        .setKv(
            KeyValue.newBuilder()
                .setKey(bs(key))
                .setValue(bs("v" + rev))
                .setModRevision(rev)
                .setCreateRevision(rev)
                .setVersion(1))
        .setPrevKv(KeyValue.newBuilder().setKey(bs(key)).setValue(bs("old")))
        .build();
  }

  static Event delete(String key, long rev) {
    return Event.newBuilder()
        .setType(Event.EventType.DELETE)
        .setKv(KeyValue.newBuilder().setKey(bs(key)).setModRevision(rev))
        .build();
  }

  static RevisionEvents rev(long r, Event... events) {
    return new RevisionEvents(r, List.of(events));
  }

  static WatchCreateRequest.Builder on(String key) {
    return WatchCreateRequest.newBuilder().setKey(bs(key));
  }

  static List<Long> revisions(List<WatchResponse> rs) {
    return rs.stream()
        .flatMap(r -> r.getEventsList().stream())
        .map(e -> e.getKv().getModRevision())
        .toList();
  }

  @Test
  void syncedWatcherGetsOneResponsePerRevisionAfterItsCreatedResponse() {
    WatcherSet set = new WatcherSet(SETTINGS, 10, 2);
    ListOutbox out = new ListOutbox(100);
    set.create(on("a").build(), out);
    set.applied(
        List.of(
            rev(11, put("a", 11), put("b", 11)), rev(12, put("b", 12)), rev(13, delete("a", 13))),
        13,
        2,
        out);
    List<WatchResponse> rs = out.drain();
    assertThat(rs.get(0).getCreated()).isTrue();
    assertThat(rs.get(0).getHeader().getRevision()).isEqualTo(10);
    assertThat(rs).hasSize(3);
    assertThat(rs.get(1).getHeader().getRevision()).isEqualTo(11);
    assertThat(rs.get(1).getEvents(0).hasPrevKv()).as("prev_kv only when asked").isFalse();
    assertThat(rs.get(2).getEvents(0).getType()).isEqualTo(Event.EventType.DELETE);
  }

  @Test
  void aFullBufferMakesVictimsThatCatchUpFromHistoryWithoutGapsOrRepeats() {
    WatcherSet set = new WatcherSet(SETTINGS, 10, 2);
    ListOutbox out = new ListOutbox(2);
    set.create(on("k").build(), out);
    out.drain();
    set.applied(
        List.of(rev(11, put("k", 11)), rev(12, put("k", 12)), rev(13, put("k", 13))), 13, 2, out);
    assertThat(revisions(out.out)).containsExactly(11L, 12L);
    assertThat(set.watcher(0).state).isEqualTo(Watcher.State.VICTIM);
    assertThat(set.watcher(0).nextRev).isEqualTo(13);
    // Later revisions are not delivered to a victim; history is not read for it until the buffer
    // drained.
    set.applied(List.of(rev(14, put("k", 14))), 14, 2, out);
    assertThat(set.nextHistoryRead()).isEmpty();
    List<WatchResponse> first = out.drain();
    set.releaseVictims();
    assertThat(set.nextHistoryRead()).hasValue(13);
    set.applied(List.of(rev(15, put("k", 15))), 15, 2, out);
    // The history read happened after revision 16 was applied at the KV actor, before the stream
    // heard of it.
    set.history(
        13,
        new WatchHistory.Events(
            List.of(put("k", 13), put("k", 14), put("k", 15), put("k", 16)), 16, 16),
        out);
    assertThat(set.watcher(0).state).isEqualTo(Watcher.State.SYNCED);
    set.applied(List.of(rev(16, put("k", 16)), rev(17, put("k", 17))), 17, 2, out);
    List<Long> all = new ArrayList<>(revisions(first));
    all.addAll(revisions(out.drain()));
    assertThat(all).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L);
  }

  @Test
  void aRestoredStoreMakesSyncedWatchersCatchUpFromHistoryOrBeCanceled() {
    WatcherSet set = new WatcherSet(SETTINGS, 10, 2);
    ListOutbox out = new ListOutbox(100);
    set.create(on("k").build(), out);
    set.create(on("j").build(), out);
    out.drain();
    set.applied(List.of(rev(11, put("k", 11))), 11, 2, out);
    out.drain();
    // A snapshot brought the store from 11 to 30; revisions 12..30 were never published.
    set.restored(30, 3);
    assertThat(set.watcher(0).state).isEqualTo(Watcher.State.UNSYNCED);
    assertThat(set.nextHistoryRead()).hasValue(12);
    set.history(12, new WatchHistory.Events(List.of(put("k", 20), put("j", 25)), 30, 30), out);
    assertThat(revisions(out.drain())).containsExactly(20L, 25L);
    assertThat(set.watcher(0).state).isEqualTo(Watcher.State.SYNCED);
    set.applied(List.of(rev(31, put("k", 31))), 31, 3, out);
    assertThat(revisions(out.drain())).containsExactly(31L);
    // Restored again, but the history the watchers need was compacted on the leader: canceled with
    // it.
    set.restored(50, 3);
    set.history(32, new WatchHistory.Compacted(40), out);
    List<WatchResponse> canceled = out.drain();
    assertThat(canceled).hasSize(2).allMatch(r -> r.getCanceled() && r.getCompactRevision() == 40);
  }

  @Test
  void historyIsReadInBatchesOfWholeRevisions() {
    WatcherSet set = new WatcherSet(SETTINGS, 20, 2);
    ListOutbox out = new ListOutbox(100);
    set.create(on("k").setStartRevision(5).build(), out);
    assertThat(set.nextHistoryRead()).hasValue(5);
    // a batch that stops at revision 7 (the reader's revision limit)
    set.history(
        5, new WatchHistory.Events(List.of(put("k", 5), put("x", 6), put("k", 7)), 7, 20), out);
    assertThat(set.watcher(0).state).isEqualTo(Watcher.State.UNSYNCED);
    assertThat(set.nextHistoryRead()).hasValue(8);
    set.history(8, new WatchHistory.Events(List.of(put("k", 20)), 20, 20), out);
    assertThat(set.watcher(0).state).isEqualTo(Watcher.State.SYNCED);
    List<WatchResponse> rs = out.drain();
    assertThat(revisions(rs)).containsExactly(5L, 7L, 20L);
    assertThat(rs.get(1).getHeader().getRevision())
        .as("catch-up header: the store's revision")
        .isEqualTo(20);
  }

  @Test
  void aWatcherBehindTheCompactedRevisionIsCanceledWithIt() {
    WatcherSet set = new WatcherSet(SETTINGS, 20, 2);
    ListOutbox out = new ListOutbox(100);
    set.create(on("k").setStartRevision(3).build(), out);
    set.create(on("k").setStartRevision(12).build(), out);
    set.history(3, new WatchHistory.Compacted(10), out);
    List<WatchResponse> rs = out.drain();
    WatchResponse cancel = rs.get(2);
    assertThat(cancel.getWatchId()).isEqualTo(0);
    assertThat(cancel.getCanceled()).isTrue();
    assertThat(cancel.getCompactRevision()).isEqualTo(10);
    assertThat(cancel.getCancelReason()).isEmpty();
    assertThat(set.size()).isEqualTo(1);
    assertThat(set.nextHistoryRead()).hasValue(12);
  }

  @Test
  void idsFiltersAndPrevKv() {
    WatcherSet set = new WatcherSet(SETTINGS, 1, 2);
    ListOutbox out = new ListOutbox(100);
    set.create(on("a").setWatchId(1).addFilters(WatchCreateRequest.FilterType.NOPUT).build(), out);
    set.create(on("a").setPrevKv(true).build(), out);
    set.create(on("a").build(), out);
    assertThat(out.drain().stream().map(WatchResponse::getWatchId)).containsExactly(1L, 0L, 2L);
    set.applied(List.of(rev(2, put("a", 2))), 2, 2, out);
    List<WatchResponse> rs = out.drain();
    assertThat(rs.stream().map(WatchResponse::getWatchId)).containsExactly(0L, 2L);
    assertThat(rs.get(0).getEvents(0).hasPrevKv()).isTrue();
  }

  @Test
  void progressTickOnlyForIdleSyncedWatchersThatAskedForIt() {
    WatcherSet set = new WatcherSet(SETTINGS, 5, 2);
    ListOutbox out = new ListOutbox(100);
    set.create(on("a").setProgressNotify(true).build(), out);
    set.create(on("b").setProgressNotify(true).build(), out);
    set.create(on("c").build(), out);
    out.drain();
    set.applied(List.of(rev(6, put("a", 6))), 6, 2, out);
    out.drain();
    set.progressTick(out);
    List<WatchResponse> rs = out.drain();
    assertThat(rs).hasSize(1);
    assertThat(rs.get(0).getWatchId()).isEqualTo(1);
    assertThat(rs.get(0).getHeader().getRevision()).isEqualTo(6);
    set.progressTick(out);
    assertThat(out.drain().stream().map(WatchResponse::getWatchId)).containsExactly(0L, 1L);
  }

  @Test
  void fragmentsSplitBigResponsesAtTheLimit() {
    WatcherSet set = new WatcherSet(SETTINGS, 1, 2);
    ListOutbox out = new ListOutbox(100);
    set.create(on("a").setRangeEnd(bs("b")).setFragment(true).build(), out);
    out.drain();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(
          Event.newBuilder()
              .setKv(
                  KeyValue.newBuilder()
                      .setKey(bs("a" + i))
                      .setValue(bs("x".repeat(500)))
                      .setModRevision(2))
              .build());
    }
    set.applied(List.of(new RevisionEvents(2, events)), 2, 2, out);
    List<WatchResponse> rs = out.drain();
    assertThat(rs.size()).isGreaterThan(1);
    assertThat(rs.stream().mapToInt(WatchResponse::getEventsCount).sum()).isEqualTo(10);
    for (int i = 0; i < rs.size(); i++) {
      assertThat(rs.get(i).getFragment()).isEqualTo(i < rs.size() - 1);
      assertThat(rs.get(i).getSerializedSize()).isLessThan(2_000);
    }
  }
}
