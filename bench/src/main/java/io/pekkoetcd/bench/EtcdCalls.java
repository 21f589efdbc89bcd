package io.pekkoetcd.bench;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseKeepAliveRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseKeepAliveResponse;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.StatusRequest;
import io.pekkoetcd.protocol.etcdserverpb.StatusResponse;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;

/**
 * etcd's KV, Watch, Lease and Maintenance methods as plain grpc-java {@link MethodDescriptor}s over
 * the protobuf messages the {@code protocol} module generates from etcd's own {@code rpc.proto}: no
 * second code generation, and the same bytes on the wire as etcd's Go client. Requests and
 * responses are typed as {@link Message} so that one client loop serves every workload; the two
 * bidirectional streams (Watch, LeaseKeepAlive) are {@link
 * MethodDescriptor.MethodType#BIDI_STREAMING}.
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

  /** Watch/Watch: the {@code watch} workload's watchers, many to a stream. */
  static final MethodDescriptor<Message, Message> WATCH =
      bidi(
          "etcdserverpb.Watch",
          "Watch",
          WatchRequest.getDefaultInstance(),
          WatchResponse.getDefaultInstance());

  /** Lease/LeaseGrant: the {@code lease-keepalive} workload's leases, granted before the clock. */
  static final MethodDescriptor<Message, Message> LEASE_GRANT =
      unary(
          "etcdserverpb.Lease",
          "LeaseGrant",
          LeaseGrantRequest.getDefaultInstance(),
          LeaseGrantResponse.getDefaultInstance());

  /** Lease/LeaseKeepAlive: one stream per {@code lease-keepalive} client. */
  static final MethodDescriptor<Message, Message> LEASE_KEEP_ALIVE =
      bidi(
          "etcdserverpb.Lease",
          "LeaseKeepAlive",
          LeaseKeepAliveRequest.getDefaultInstance(),
          LeaseKeepAliveResponse.getDefaultInstance());

  private static MethodDescriptor<Message, Message> unary(
      String service, String method, Message request, Message response) {
    return method(MethodDescriptor.MethodType.UNARY, service, method, request, response);
  }

  private static MethodDescriptor<Message, Message> bidi(
      String service, String method, Message request, Message response) {
    return method(MethodDescriptor.MethodType.BIDI_STREAMING, service, method, request, response);
  }

  private static MethodDescriptor<Message, Message> method(
      MethodDescriptor.MethodType type,
      String service,
      String method,
      Message request,
      Message response) {
    return MethodDescriptor.<Message, Message>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }
}
