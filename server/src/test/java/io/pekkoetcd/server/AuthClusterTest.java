package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth in a three-member cluster: changes made through one member hold on every member (they go
 * through Raft), a simple token issued by one member is valid on the others (every member assigns
 * it when it applies the Authenticate entry), and a member restarted keeps the auth store but not
 * the tokens.
 */
class AuthClusterTest {
  @TempDir Path dir;

  private static final Duration ELECTION = Duration.ofSeconds(30);

  private static KVGrpc.KVBlockingStub kv(ManagedChannel ch, String token) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
    return KVGrpc.newBlockingStub(ch)
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  @Test
  void authHoldsOnEveryMemberAndTokensTravel() throws Exception {
    try (ThreeMemberCluster c = ThreeMemberCluster.start(dir)) {
      c.awaitLeader(ELECTION);
      String ep0 = c.endpoint(0).replace("http://", "");
      for (String[] step :
          List.of(
              new String[] {"user", "add", "root", "--new-user-password=rootpw"},
              new String[] {"user", "add", "alice", "--new-user-password=alicepw"},
              new String[] {"role", "add", "ra"},
              new String[] {"role", "grant-permission", "ra", "readwrite", "a"},
              new String[] {"user", "grant-role", "alice", "ra"},
              new String[] {"auth", "enable"})) {
        Etcdctl.Result r = Etcdctl.run(ep0, null, step);
        assertThat(r.exitCode()).as(String.join(" ", step) + ": " + r.output()).isZero();
      }
      List<ManagedChannel> channels = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          channels.add(
              ManagedChannelBuilder.forAddress("127.0.0.1", c.clientPort(i))
                  .usePlaintext()
                  .build());
        }
        String token =
            AuthGrpc.newBlockingStub(channels.get(1))
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .authenticate(
                    AuthenticateRequest.newBuilder()
                        .setName("alice")
                        .setPassword("alicepw")
                        .build())
                .getToken();
        assertThat(token).matches("[a-zA-Z]{16}\\.\\d+");
        // the token issued through member 1 works on every member once it has applied the entry
        for (int i = 0; i < 3; i++) {
          ManagedChannel ch = channels.get(i);
          int member = i;
          Poll.until(
              Duration.ofSeconds(20),
              "alice's token valid on member " + i,
              () -> {
                try {
                  kv(ch, token)
                      .put(
                          PutRequest.newBuilder()
                              .setKey(ByteString.copyFromUtf8("a"))
                              .setValue(ByteString.copyFromUtf8("v" + member))
                              .build());
                  return true;
                } catch (StatusRuntimeException e) {
                  // a follower may not have applied the Authenticate entry yet
                  assertThat(e.getStatus().getDescription())
                      .isEqualTo("etcdserver: invalid auth token");
                  return false;
                }
              });
          StatusRuntimeException denied =
              org.assertj.core.api.Assertions.catchThrowableOfType(
                  () ->
                      kv(ch, token)
                          .range(
                              RangeRequest.newBuilder()
                                  .setKey(ByteString.copyFromUtf8("b"))
                                  .build()),
                  StatusRuntimeException.class);
          assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }

        // a restarted member keeps the auth store but not the tokens
        c.stop(2);
        c.restart(2);
        c.awaitLeader(ELECTION);
        ManagedChannel fresh =
            ManagedChannelBuilder.forAddress("127.0.0.1", c.clientPort(2)).usePlaintext().build();
        channels.add(fresh);
        StatusRuntimeException invalid =
            org.assertj.core.api.Assertions.catchThrowableOfType(
                () ->
                    kv(fresh, token)
                        .range(
                            RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("a")).build()),
                StatusRuntimeException.class);
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(invalid.getStatus().getDescription())
            .isEqualTo("etcdserver: invalid auth token");
        Etcdctl.Result get =
            Etcdctl.run(
                c.endpoint(2).replace("http://", ""),
                null,
                "--user=alice:alicepw",
                "get",
                "a",
                "--print-value-only");
        assertThat(get.output()).isEqualTo("v2\n");
      } finally {
        for (ManagedChannel ch : channels) {
          ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
      }
    }
  }
}
