package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.CompactionResponse;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.KV;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import java.util.concurrent.CompletionStage;

/** etcd's {@code etcdserverpb.KV} service: a thin adapter onto {@link EtcdMember}. */
final class KvService implements KV {
  private final EtcdMember member;

  KvService(EtcdMember member) {
    this.member = member;
  }

  @Override
  public CompletionStage<RangeResponse> range(RangeRequest in) {
    return member.range(in);
  }

  @Override
  public CompletionStage<PutResponse> put(PutRequest in) {
    return member.put(in);
  }

  @Override
  public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest in) {
    return member.deleteRange(in);
  }

  @Override
  public CompletionStage<TxnResponse> txn(TxnRequest in) {
    return member.txn(in);
  }

  @Override
  public CompletionStage<CompactionResponse> compact(CompactionRequest in) {
    return member.compact(in);
  }
}
