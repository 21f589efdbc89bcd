package io.pekkoetcd.mvcc;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A txn on an {@link MvccStore} (etcd's {@code kvstore_txn.go}): every change gets revision {@code
 * beginRev + 1} with sub-revisions 0, 1, 2, … in op order. Reads see earlier changes: they read at
 * {@link #rev()}. A read txn ({@code index == 0}) has the same reads and refuses every change.
 */
final class StoreTxn implements TxnWrite {
  private final MvccStore store;
  private final TreeIndex index;
  private final long beginRev;
  private final long raftIndex;
  private final List<Event> events = new ArrayList<>();
  private boolean ended;

  StoreTxn(MvccStore store, TreeIndex index, long beginRev, long raftIndex) {
    this.store = store;
    this.index = index;
    this.beginRev = beginRev;
    this.raftIndex = raftIndex;
  }

  @Override
  public long firstRev() {
    return store.firstRev();
  }

  /** The revision reads see: the begin revision, or the new one once something changed. */
  @Override
  public long rev() {
    return events.isEmpty() ? beginRev : beginRev + 1;
  }

  @Override
  public List<Event> changes() {
    return List.copyOf(events);
  }

  @Override
  public RangeResult range(ByteString key, ByteString end, RangeOptions o) throws MvccException {
    checkOpen();
    long cur = rev();
    long rev = o.rev();
    if (rev > cur) {
      throw new MvccException(MvccError.FUTURE_REV);
    }
    if (rev <= 0) {
      rev = cur;
    }
    if (rev < store.firstRev()) {
      throw new MvccException(MvccError.COMPACTED);
    }
    KeyRange kr = KeyRange.of(key, end);
    if (o.countOnly()) {
      return new RangeResult(List.of(), cur, index.count(kr, rev));
    }
    long fetch = o.limit() <= 0 ? Long.MAX_VALUE : o.limit();
    List<KeyValue> kvs = new ArrayList<>();
    long count = 0;
    for (KeyIndex ki : index.inRange(kr)) {
      KeyIndex.At at = ki.get(rev);
      if (at == null) {
        continue;
      }
      count++;
      if (kvs.size() < fetch) {
        kvs.add(o.metadataOnly() ? metadata(ki.key, at) : store.readKv(at.modified()));
      }
    }
    return new RangeResult(kvs, cur, count);
  }

  private static KeyValue metadata(byte[] key, KeyIndex.At at) {
    return KeyValue.newBuilder()
        .setKey(ByteString.copyFrom(key))
        .setVersion(at.version())
        .setCreateRevision(at.createRevision())
        .setModRevision(at.modified().main())
        .build();
  }

  @Override
  public long put(ByteString key, ByteString value, long lease) {
    checkWritable();
    byte[] k = key.toByteArray();
    KeyIndex.At at = index.get(k, rev());
    KeyValue prev =
        at != null && store.options().eventsWithPrevKv() ? store.readKv(at.modified()) : null;
    Revision rev = nextRevision();
    KeyValue kv =
        KeyValue.newBuilder()
            .setKey(key)
            .setValue(value)
            .setCreateRevision(at == null ? rev.main() : at.createRevision())
            .setModRevision(rev.main())
            .setVersion(at == null ? 1 : at.version() + 1)
            .setLease(lease)
            .build();
    store.stage(rev, kv, false);
    index.put(k, rev);
    Event.Builder ev = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
    if (prev != null) {
      ev.setPrevKv(prev);
    }
    events.add(ev.build());
    return rev.main();
  }

  @Override
  public DeleteResult deleteRange(ByteString key, ByteString end, boolean withPrevKvs) {
    checkWritable();
    List<TreeIndex.Hit> hits = index.range(KeyRange.of(key, end), rev());
    boolean eventPrev = store.options().eventsWithPrevKv();
    List<KeyValue> prevKvs = new ArrayList<>();
    for (TreeIndex.Hit hit : hits) {
      KeyValue prev = withPrevKvs || eventPrev ? store.readKv(hit.at().modified()) : null;
      if (withPrevKvs) {
        prevKvs.add(prev);
      }
      Revision rev = nextRevision();
      KeyValue tomb =
          KeyValue.newBuilder()
              .setKey(prev != null ? prev.getKey() : ByteString.copyFrom(hit.key()))
              .setModRevision(rev.main())
              .build();
      store.stage(rev, tomb, true);
      index.tombstone(hit.key(), rev);
      Event.Builder ev = Event.newBuilder().setType(Event.EventType.DELETE).setKv(tomb);
      if (prev != null && eventPrev) {
        ev.setPrevKv(prev);
      }
      events.add(ev.build());
    }
    return new DeleteResult(hits.size(), rev(), prevKvs);
  }

  @Override
  public void compact(long rev, boolean physical) throws MvccException {
    checkWritable();
    store.compact(rev, physical);
  }

  @Override
  public void putLease(StoredLease lease) {
    checkWritable();
    store.stageLease(lease);
  }

  @Override
  public void deleteLease(long id) {
    checkWritable();
    store.unstageLease(id);
  }

  @Override
  public void putMembership(byte[] membership) {
    checkWritable();
    store.stageMembership(membership);
  }

  @Override
  public void putAuthState(byte[] authState) {
    checkWritable();
    store.stageAuthState(authState);
  }

  @Override
  public void putAlarm(StoredAlarm alarm) {
    checkWritable();
    store.stageAlarm(alarm);
  }

  @Override
  public void deleteAlarm(StoredAlarm alarm) {
    checkWritable();
    store.unstageAlarm(alarm);
  }

  @Override
  public void end() {
    if (!ended) {
      ended = true;
      if (raftIndex > 0) {
        store.endWrite(raftIndex, events.isEmpty() ? beginRev : beginRev + 1);
      }
    }
  }

  /** The next change's revision. */
  private Revision nextRevision() {
    return new Revision(beginRev + 1, events.size());
  }

  private void checkOpen() {
    if (ended) {
      throw new IllegalStateException("txn ended");
    }
  }

  private void checkWritable() {
    checkOpen();
    if (raftIndex == 0) {
      throw new IllegalStateException("read txn: no changes");
    }
  }
}
