package io.pekkoetcd.grpc;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import io.pekkoetcd.watch.WatchHub;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The parts of etcd's {@code clientv3/concurrency} that its Lock and Election servers use, on the
 * member's own API instead of a client: sessions, "first/last by create revision" ranges, and
 * waiting for keys to be deleted (a watch on the member's watch hub). Stateless.
 */
final class Concurrency {
  /** etcd's {@code defaultSessionTTL}: a session without a lease grants one of 60 s. */
  static final long SESSION_TTL = 60;

  private final EtcdMember member;
  private final Materializer mat;

  Concurrency(EtcdMember member) {
    this.member = member;
    this.mat = Materializer.matFromSystem(member.system());
  }

  EtcdMember member() {
    return member;
  }

  Materializer materializer() {
    return mat;
  }

  /**
   * The lease of a session: {@code lease} itself, or a new 60 s lease if it is 0 (the servers
   * orphan their sessions: nobody keeps that lease alive).
   */
  CompletionStage<Long> session(long lease) {
    if (lease != 0) {
      return CompletableFuture.completedFuture(lease);
    }
    return member
        .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(SESSION_TTL).build())
        .thenApply(r -> r.getID());
  }

  /** {@code prefix + "%x"} of the lease, as etcd formats a session's key. */
  static ByteString sessionKey(ByteString prefix, long lease) {
    String hex = lease < 0 ? "-" + Long.toHexString(-lease) : Long.toHexString(lease);
    return prefix.concat(ByteString.copyFromUtf8(hex));
  }

  /** etcd's {@code GetPrefixRangeEnd}: the range end covering every key with {@code prefix}. */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }

  /** The first key under {@code prefix} by create revision ({@code WithFirstCreate}). */
  static RangeRequest firstCreate(ByteString prefix) {
    return RangeRequest.newBuilder()
        .setKey(prefix)
        .setRangeEnd(prefixEnd(prefix))
        .setSortTarget(RangeRequest.SortTarget.CREATE)
        .setSortOrder(RangeRequest.SortOrder.ASCEND)
        .setLimit(1)
        .build();
  }

  /**
   * etcd's {@code waitDeletes}: until no key under {@code prefix} has a create revision ≤ {@code
   * maxCreateRev}, wait for the newest of them to be deleted; the header of the last range.
   */
  CompletionStage<ResponseHeader> waitDeletes(ByteString prefix, long maxCreateRev) {
    RangeRequest lastCreate =
        RangeRequest.newBuilder()
            .setKey(prefix)
            .setRangeEnd(prefixEnd(prefix))
            .setSortTarget(RangeRequest.SortTarget.CREATE)
            .setSortOrder(RangeRequest.SortOrder.DESCEND)
            .setLimit(1)
            .setMaxCreateRevision(maxCreateRev)
            .build();
    return member
        .range(lastCreate)
        .thenCompose(
            (RangeResponse r) -> {
              if (r.getKvsCount() == 0) {
                return CompletableFuture.completedFuture(r.getHeader());
              }
              return waitDelete(r.getKvs(0).getKey(), r.getHeader().getRevision())
                  .thenCompose(deleted -> waitDeletes(prefix, maxCreateRev));
            });
  }

  /** etcd's {@code waitDelete}: the first DELETE of {@code key} at or after {@code rev}. */
  CompletionStage<Event> waitDelete(ByteString key, long rev) {
    return events(key, ByteString.EMPTY, rev)
        .mapConcat(WatchResponse::getEventsList)
        .filter(e -> e.getType() == Event.EventType.DELETE)
        .runWith(Sink.head(), mat);
  }

  /**
   * The responses carrying events of a watch on {@code [key, end)} from {@code rev}, on the
   * member's watch hub, until the consumer cancels; fails if the watch is canceled (compacted).
   */
  Source<WatchResponse, NotUsed> events(ByteString key, ByteString end, long rev) {
    WatchRequest create =
        WatchRequest.newBuilder()
            .setCreateRequest(
                WatchCreateRequest.newBuilder().setKey(key).setRangeEnd(end).setStartRevision(rev))
            .build();
    return WatchHub.serve(
            member.watchHub(), Source.single(create).concat(Source.never()), false, member.system())
        .map(
            r -> {
              if (r.getCanceled()) {
                throw new IllegalStateException("lost watcher waiting for delete");
              }
              return r;
            })
        .filter(r -> r.getEventsCount() > 0);
  }

  /** A key with the header it was read at. */
  record Read(ResponseHeader header, KeyValue kv) {}
}
