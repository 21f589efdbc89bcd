package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.actors.auth.RequestPermissions;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.CompactionResponse;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.KVPowerApi;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * etcd's {@code etcdserverpb.KV} service: a thin adapter onto {@link EtcdMember}, each call first
 * permission-checked by the {@link AuthGuard} (Compact needs nothing, as in etcd 3.4).
 */
final class KvService implements KVPowerApi {
  private final EtcdMember member;
  private final AuthGuard guard;

  KvService(EtcdMember member, AuthGuard guard) {
    this.member = member;
    this.guard = guard;
  }

  @Override
  public CompletionStage<RangeResponse> range(RangeRequest in, Metadata md) {
    return guard.checked(
        md, c -> RequestPermissions.range(c.state(), c.who(), in), () -> member.range(in));
  }

  @Override
  public CompletionStage<PutResponse> put(PutRequest in, Metadata md) {
    return guard.checkedAs(
        md, c -> RequestPermissions.put(c.state(), c.who(), in), who -> member.put(in, who));
  }

  @Override
  public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest in, Metadata md) {
    return guard.checkedAs(
        md,
        c -> RequestPermissions.deleteRange(c.state(), c.who(), in),
        who -> member.deleteRange(in, who));
  }

  @Override
  public CompletionStage<TxnResponse> txn(TxnRequest in, Metadata md) {
    return guard.checkedAs(
        md, c -> RequestPermissions.txn(c.state(), c.who(), in), who -> member.txn(in, who));
  }

  @Override
  public CompletionStage<CompactionResponse> compact(CompactionRequest in, Metadata md) {
    // etcd 3.4 checks no permission for Compact (3.5 made it admin-only); compared against 3.4
    return member.compact(in);
  }
}
