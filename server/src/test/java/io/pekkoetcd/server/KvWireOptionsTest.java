package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KV options and errors that jetcd's high-level API cannot express (ignore_value, ignore_lease,
 * leases, compares over ranges, nested txns, an empty RequestOp), sent with jetcd's own generated
 * gRPC stubs.
 */
class KvWireOptionsTest {
  @TempDir static Path dir;
  static InProcessMember member;
  static ManagedChannel channel;
  static KVGrpc.KVBlockingStub kv;

  @BeforeAll
  static void start() throws Exception {
    member = InProcessMember.start(dir.resolve("data"), "wire-test");
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", member.port()).usePlaintext().build();
    kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    member.close();
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static void assertStatus(Runnable call, Status.Code code, String message) {
    Status status = Status.fromThrowable(catchThrowable(call::run));
    assertThat(status.getCode()).isEqualTo(code);
    assertThat(status.getDescription()).isEqualTo(message);
  }

  @Test
  void ignoreValueKeepsTheValue() {
    kv.put(PutRequest.newBuilder().setKey(bs("iv")).setValue(bs("original")).build());
    PutResponse r =
        kv.put(
            PutRequest.newBuilder().setKey(bs("iv")).setIgnoreValue(true).setPrevKv(true).build());
    assertThat(r.getPrevKv().getValue().toStringUtf8()).isEqualTo("original");
    var now = kv.range(RangeRequest.newBuilder().setKey(bs("iv")).build()).getKvs(0);
    assertThat(now.getValue().toStringUtf8()).isEqualTo("original");
    assertThat(now.getVersion()).isEqualTo(2);
  }

  @Test
  void putErrors() {
    assertStatus(
        () ->
            kv.put(
                PutRequest.newBuilder()
                    .setKey(bs("x"))
                    .setValue(bs("v"))
                    .setIgnoreValue(true)
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: value is provided");
    assertStatus(
        () ->
            kv.put(
                PutRequest.newBuilder().setKey(bs("x")).setLease(7).setIgnoreLease(true).build()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: lease is provided");
    assertStatus(
        () -> kv.put(PutRequest.newBuilder().setKey(bs("missing")).setIgnoreValue(true).build()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: key not found");
    assertStatus(
        () -> kv.put(PutRequest.newBuilder().setKey(bs("missing")).setIgnoreLease(true).build()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: key not found");
    assertStatus(
        () -> kv.put(PutRequest.newBuilder().setKey(bs("leased")).setLease(0x1234).build()),
        Status.Code.NOT_FOUND,
        "etcdserver: requested lease not found");
  }

  @Test
  void txnEdgeCases() {
    assertStatus(
        () -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance()).build()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: key not found");
    // A compare over a key range: every key must satisfy it; an empty range compares as a missing
    // key.
    kv.put(PutRequest.newBuilder().setKey(bs("cr/a")).setValue(bs("1")).build());
    kv.put(PutRequest.newBuilder().setKey(bs("cr/b")).setValue(bs("1")).build());
    Compare allVersionOne =
        Compare.newBuilder()
            .setKey(bs("cr/"))
            .setRangeEnd(bs("cr0"))
            .setTarget(Compare.CompareTarget.VERSION)
            .setResult(Compare.CompareResult.EQUAL)
            .setVersion(1)
            .build();
    assertThat(kv.txn(TxnRequest.newBuilder().addCompare(allVersionOne).build()).getSucceeded())
        .isTrue();
    kv.put(PutRequest.newBuilder().setKey(bs("cr/b")).setValue(bs("2")).build());
    assertThat(kv.txn(TxnRequest.newBuilder().addCompare(allVersionOne).build()).getSucceeded())
        .isFalse();
    // A nested txn: one revision for everything the outer and inner txn write.
    long before =
        kv.range(RangeRequest.newBuilder().setKey(bs("cr/a")).build()).getHeader().getRevision();
    TxnRequest inner =
        TxnRequest.newBuilder()
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestPut(
                        PutRequest.newBuilder().setKey(bs("nested/inner")).setValue(bs("i"))))
            .build();
    TxnResponse outer =
        kv.txn(
            TxnRequest.newBuilder()
                .addSuccess(
                    RequestOp.newBuilder()
                        .setRequestPut(
                            PutRequest.newBuilder().setKey(bs("nested/outer")).setValue(bs("o"))))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(inner))
                .build());
    assertThat(outer.getSucceeded()).isTrue();
    assertThat(outer.getHeader().getRevision()).isEqualTo(before + 1);
    assertThat(outer.getResponses(1).getResponseTxn().getSucceeded()).isTrue();
    var inside = kv.range(RangeRequest.newBuilder().setKey(bs("nested/inner")).build()).getKvs(0);
    assertThat(inside.getModRevision()).isEqualTo(before + 1);
    // A put in a nested txn that collides with a put of the enclosing branch is a duplicate.
    TxnRequest colliding =
        TxnRequest.newBuilder()
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestPut(
                        PutRequest.newBuilder().setKey(bs("nested/outer")).setValue(bs("again"))))
            .build();
    assertStatus(
        () ->
            kv.txn(
                TxnRequest.newBuilder()
                    .addSuccess(
                        RequestOp.newBuilder()
                            .setRequestPut(
                                PutRequest.newBuilder()
                                    .setKey(bs("nested/outer"))
                                    .setValue(bs("o"))))
                    .addSuccess(RequestOp.newBuilder().setRequestTxn(colliding))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: duplicate key given in txn request");
  }

  /**
   * Compare target LEASE (etcd 3.3+) is missing from jetcd's copy of the protos (and etcdctl 3.4
   * panics on it), so the request is built with etcd's own messages and sent as bytes through
   * jetcd's stub.
   */
  @Test
  void leaseCompare() throws Exception {
    kv.put(PutRequest.newBuilder().setKey(bs("lc")).setValue(bs("v")).build());
    assertThat(kv.txn(leaseCompare("lc", 0)).getSucceeded()).isTrue();
    assertThat(kv.txn(leaseCompare("lc", 5)).getSucceeded()).isFalse();
    // A missing key compares as lease 0.
    assertThat(kv.txn(leaseCompare("lc-missing", 0)).getSucceeded()).isTrue();
  }

  private static TxnRequest leaseCompare(String key, long lease) throws Exception {
    var etcd =
        io.pekkoetcd.protocol.etcdserverpb.TxnRequest.newBuilder()
            .addCompare(
                io.pekkoetcd.protocol.etcdserverpb.Compare.newBuilder()
                    .setKey(bs(key))
                    .setTarget(io.pekkoetcd.protocol.etcdserverpb.Compare.CompareTarget.LEASE)
                    .setResult(io.pekkoetcd.protocol.etcdserverpb.Compare.CompareResult.EQUAL)
                    .setLease(lease))
            .build();
    return TxnRequest.parseFrom(etcd.toByteArray());
  }

  @Test
  void messagesOverTheReceiveLimitAreRefused() {
    // Over --max-request-bytes + 512 KiB (2 MiB by default): refused at the transport, as grpc-go
    // does.
    byte[] huge = new byte[2_200_000];
    Status status =
        Status.fromThrowable(
            catchThrowable(
                () ->
                    kv.put(
                        PutRequest.newBuilder()
                            .setKey(bs("huge"))
                            .setValue(ByteString.copyFrom(huge))
                            .build())));
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).startsWith("grpc: received message larger than max (");
    // The connection is still usable afterwards.
    assertThat(kv.range(RangeRequest.newBuilder().setKey(bs("huge")).build()).getCount()).isZero();
  }

  @Test
  void unknownServicesAnswerUnimplemented() {
    // every etcd service is served now: call one that does not exist
    io.grpc.MethodDescriptor.Marshaller<byte[]> bytes =
        new io.grpc.MethodDescriptor.Marshaller<>() {
          @Override
          public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
          }

          @Override
          public byte[] parse(java.io.InputStream stream) {
            try {
              return stream.readAllBytes();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    io.grpc.MethodDescriptor<byte[], byte[]> method =
        io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("etcdserverpb.Nope/Call")
            .setRequestMarshaller(bytes)
            .setResponseMarshaller(bytes)
            .build();
    assertStatus(
        () ->
            io.grpc.stub.ClientCalls.blockingUnaryCall(
                channel,
                method,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                new byte[0]),
        Status.Code.UNIMPLEMENTED,
        "unknown service etcdserverpb.Nope");
  }
}
