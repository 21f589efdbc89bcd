package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.WatchOption;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchCreateRequest;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.wire.WireWatchStream;
import io.pekkoetcd.watch.WatchHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How Watch streams end (shared/etcd-api.md §2.8, stream lifecycle), through real clients: streams
 * opened with {@code hasleader: true} (jetcd's {@code withRequireLeader}) are refused without a
 * leader and ended after three election timeouts without one, with Unavailable "etcdserver: no
 * leader", while streams without it keep being served locally (the refusal is also checked with
 * etcdctl watch when it is installed); a stream the client cancels is cleaned up on the server (its
 * actor and watchers are gone).
 */
class WatchStreamLifecycleTest {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Test
  void hasLeaderStreamsEndWhenTheLeaderIsLostAndNewOnesAreRefused() throws Exception {
    try (ThreeMemberCluster c = ThreeMemberCluster.start(dir)) {
      int leader = c.awaitLeader(ClusterTest.ELECTION);
      int target = (leader + 1) % ThreeMemberCluster.SIZE;
      int other = (leader + 2) % ThreeMemberCluster.SIZE;
      EtcdMember member = c.member(target);
      try (Client client = Client.builder().endpoints(c.endpoint(target)).build()) {
        Watch watch = client.getWatchClient();
        LinkedBlockingQueue<io.etcd.jetcd.watch.WatchResponse> requiring =
            new LinkedBlockingQueue<>();
        CompletableFuture<Throwable> requiringEnded = new CompletableFuture<>();
        watch.watch(
            bytes("lk"),
            WatchOption.builder().withRequireLeader(true).build(),
            Watch.listener(requiring::add, requiringEnded::complete));
        ManagedChannel channel =
            NettyChannelBuilder.forAddress("127.0.0.1", c.clientPort(target))
                .usePlaintext()
                .build();
        try (WireWatchStream plain = new WireWatchStream(channel, false)) {
          plain.create(
              WatchCreateRequest.newBuilder()
                  .setKey(com.google.protobuf.ByteString.copyFromUtf8("lk")));
          assertThat(plain.next().getCreated()).isTrue();
          ThreeMemberCluster.await(
              DEADLINE, "both streams open", () -> watchStatus(member).streams() == 2);
          put(member, "lk", "1");
          assertThat(requiring.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS))
              .as("event on the hasleader stream")
              .isNotNull();
          assertThat(plain.next().getEventsCount()).isEqualTo(1);

          c.stop(leader);
          c.stop(other);
          ThreeMemberCluster.await(DEADLINE, "target knows no leader", () -> leaderOf(member) == 0);

          Throwable ended = requiringEnded.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
          assertNoLeader(ended);

          // A new hasleader stream is refused at once.
          CompletableFuture<Throwable> refused = new CompletableFuture<>();
          watch.watch(
              bytes("lk"),
              WatchOption.builder().withRequireLeader(true).build(),
              Watch.listener(
                  r -> refused.completeExceptionally(new AssertionError("served: " + r)),
                  refused::complete));
          assertNoLeader(refused.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
          if (Etcdctl.available()) {
            // etcdctl watch sends hasleader too; Go's client closes the watch on "no leader" and
            // etcdctl exits.
            Etcdctl.Result r = Etcdctl.run(c.endpoint(target), null, "watch", "lk");
            assertThat(r.output()).contains("etcdserver: no leader");
            assertThat(r.exitCode()).isNotZero();
          }

          // The stream without hasleader is still served from the local member.
          assertThat(plain.ended).as("plain stream still open").isNotDone();
          plain.progress();
          WatchResponse progress = plain.next();
          assertThat(progress.getWatchId()).isEqualTo(-1);
          assertThat(progress.getHeader().getRevision()).isGreaterThanOrEqualTo(2);
          assertThat(watchStatus(member).streams())
              .as("only the plain stream is left")
              .isEqualTo(1);
        } finally {
          channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void aStreamTheClientCancelsIsCleanedUpOnTheServer() throws Exception {
    try (InProcessMember m = InProcessMember.start(dir.resolve("data"), "cancel")) {
      EtcdMember member = m.member();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", m.port()).usePlaintext().build();
      try {
        List<WireWatchStream> streams = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
          WireWatchStream stream = new WireWatchStream(channel, false);
          for (int w = 0; w < 3; w++) {
            stream.create(
                WatchCreateRequest.newBuilder()
                    .setKey(com.google.protobuf.ByteString.copyFromUtf8("c/" + w)));
            assertThat(stream.next().getCreated()).isTrue();
          }
          streams.add(stream);
        }
        ThreeMemberCluster.await(
            DEADLINE,
            "5 streams, 15 watchers",
            () -> watchStatus(member).equals(new WatchHub.Status(5, 15)));
        for (WireWatchStream stream : streams) {
          stream.close(); // the client cancels: RST_STREAM
          assertThat(
                  Status.fromThrowable(stream.ended.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                      .getCode())
              .isEqualTo(Status.Code.CANCELLED);
        }
        ThreeMemberCluster.await(
            DEADLINE,
            "no stream or watcher left",
            () -> watchStatus(member).equals(new WatchHub.Status(0, 0)));
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * jetcd's error for etcd's Unavailable "etcdserver: no leader" (jetcd stops resuming a watch on
   * exactly this).
   */
  private static void assertNoLeader(Throwable t) {
    assertThat(t).as("stream ended with an error").isInstanceOf(EtcdException.class);
    EtcdException e = (EtcdException) t;
    assertThat(e.getErrorCode()).as(String.valueOf(t)).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(e.getMessage()).isEqualTo("etcdserver: no leader");
  }

  private static WatchHub.Status watchStatus(EtcdMember member) {
    return member.watchStatus().toCompletableFuture().join();
  }

  private static long leaderOf(EtcdMember member) {
    return member.leader().toCompletableFuture().join();
  }

  private static void put(EtcdMember member, String key, String value) throws Exception {
    member
        .put(
            PutRequest.newBuilder()
                .setKey(com.google.protobuf.ByteString.copyFromUtf8(key))
                .setValue(com.google.protobuf.ByteString.copyFromUtf8(value))
                .build())
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }
}
