package io.pekkoetcd.testkit.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.pekkoetcd.protocol.etcdserverpb.WatchCancelRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchProgressRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One raw gRPC Watch stream through grpc-java with etcd 3.5's own messages (jetcd's protos lack
 * {@code watch_id} and {@code fragment}): requests are sent as built, responses queue up as they
 * arrive. With {@code manualFlowControl} the client reads only what {@link #request} allows (to
 * play a stalled reader); otherwise it reads everything.
 */
public final class WireWatchStream implements AutoCloseable {
  public static final long WAIT_S = 30;

  public static final MethodDescriptor<WatchRequest, WatchResponse> WATCH =
      MethodDescriptor.<WatchRequest, WatchResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName("etcdserverpb.Watch/Watch")
          .setRequestMarshaller(ProtoUtils.marshaller(WatchRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(WatchResponse.getDefaultInstance()))
          .build();

  public final BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
  public final CompletableFuture<Throwable> ended = new CompletableFuture<>();
  private final StreamObserver<WatchRequest> requests;
  private volatile ClientCallStreamObserver<WatchRequest> call;

  public WireWatchStream(Channel channel, boolean manualFlowControl) {
    this.requests =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(WATCH, CallOptions.DEFAULT),
            new ClientResponseObserver<WatchRequest, WatchResponse>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<WatchRequest> c) {
                call = c;
                if (manualFlowControl) {
                  c.disableAutoRequestWithInitial(0);
                }
              }

              @Override
              public void onNext(WatchResponse r) {
                responses.add(r);
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(t);
              }

              @Override
              public void onCompleted() {
                ended.complete(null);
              }
            });
  }

  /** Allow {@code n} more responses to be delivered (manual flow control only). */
  public void request(int n) {
    call.request(n);
  }

  public void send(WatchRequest r) {
    synchronized (requests) {
      requests.onNext(r);
    }
  }

  public void create(WatchCreateRequest.Builder c) {
    send(WatchRequest.newBuilder().setCreateRequest(c).build());
  }

  public void cancel(long id) {
    send(
        WatchRequest.newBuilder()
            .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id))
            .build());
  }

  public void progress() {
    send(
        WatchRequest.newBuilder()
            .setProgressRequest(WatchProgressRequest.getDefaultInstance())
            .build());
  }

  public WatchResponse next() throws InterruptedException {
    WatchResponse r = responses.poll(WAIT_S, TimeUnit.SECONDS);
    assertThat(r).as("a response within " + WAIT_S + " s").isNotNull();
    return r;
  }

  @Override
  public void close() {
    call.cancel("test done", null);
  }
}
