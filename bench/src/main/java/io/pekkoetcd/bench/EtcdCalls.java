package io.pekkoetcd.bench;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.StatusRequest;
import io.pekkoetcd.protocol.etcdserverpb.StatusResponse;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;

/**
 * etcd's KV methods as plain grpc-java {@link MethodDescriptor}s over the protobuf messages the
 * {@code protocol} module generates from etcd's own {@code rpc.proto}: no second code generation,
 * and the same bytes on the wire as etcd's Go client. Requests and responses are typed as {@link
 * Message} so that one client loop serves every workload.
 */
final class EtcdCalls {
  private EtcdCalls() {}

  static final MethodDescriptor<Message, Message> PUT =
      unary(
          "etcdserverpb.KV",
          "Put",
          PutRequest.getDefaultInstance(),
          PutResponse.getDefaultInstance());

  static final MethodDescriptor<Message, Message> RANGE =
      unary(
          "etcdserverpb.KV",
          "Range",
          RangeRequest.getDefaultInstance(),
          RangeResponse.getDefaultInstance());

  static final MethodDescriptor<Message, Message> TXN =
      unary(
          "etcdserverpb.KV",
          "Txn",
          TxnRequest.getDefaultInstance(),
          TxnResponse.getDefaultInstance());

  /** Maintenance/Status: which member answers and which it takes for leader (--target-leader). */
  static final MethodDescriptor<Message, Message> STATUS =
      unary(
          "etcdserverpb.Maintenance",
          "Status",
          StatusRequest.getDefaultInstance(),
          StatusResponse.getDefaultInstance());

  private static MethodDescriptor<Message, Message> unary(
      String service, String method, Message request, Message response) {
    return MethodDescriptor.<Message, Message>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }
}
