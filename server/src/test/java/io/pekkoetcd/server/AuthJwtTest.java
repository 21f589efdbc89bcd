package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT tokens ({@code --auth-token jwt,…}) against real etcd 3.4 and pekko-etcd with the same RSA
 * keys: etcdctl with a user works, Authenticate answers a JWT naming the user and the auth
 * revision, the token reads what the user may, and once the auth store changes the same token is
 * "revision of auth store is old" (JWTs carry their revision and are never refreshed).
 */
class AuthJwtTest {
  @TempDir Path dir;

  private static String pem(String kind, byte[] der) {
    return "-----BEGIN "
        + kind
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + kind
        + "-----\n";
  }

  @Test
  void jwtTokensBehaveAsRealEtcds() throws Exception {
    assertThat(RealEtcd.available()).as("etcd on PATH (Debian etcd-server)").isTrue();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    Path pub = dir.resolve("jwt.pub");
    Path priv = dir.resolve("jwt.key");
    Files.writeString(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
    Files.writeString(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    String flag = "--auth-token=jwt,pub-key=" + pub + ",priv-key=" + priv + ",sign-method=RS256";
    List<String> reference;
    try (RealEtcd etcd = RealEtcd.startWith(dir.resolve("etcd"), "auth-jwt", flag)) {
      reference = run(etcd.endpoint(), etcd.port());
    }
    List<String> ours;
    try (InProcessMember m =
        InProcessMember.startWith(dir.resolve("pekko"), "auth-jwt", flag, "--bcrypt-cost=4")) {
      ours = run("127.0.0.1:" + m.port(), m.port());
    }
    assertThat(ours).isEqualTo(reference);
    assertThat(ours)
        .contains("stale token: INVALID_ARGUMENT etcdserver: revision of auth store is old");
  }

  private static List<String> run(String endpoint, int port) throws Exception {
    for (String[] step :
        List.of(
            new String[] {"user", "add", "root", "--new-user-password=rootpw"},
            new String[] {"user", "add", "alice", "--new-user-password=alicepw"},
            new String[] {"role", "add", "ra"},
            new String[] {"role", "grant-permission", "ra", "read", "a"},
            new String[] {"user", "grant-role", "alice", "ra"},
            new String[] {"auth", "enable"})) {
      Etcdctl.Result r = Etcdctl.run(endpoint, null, step);
      assertThat(r.exitCode()).as(String.join(" ", step) + ": " + r.output()).isZero();
    }
    List<String> out = new ArrayList<>();
    out.add(
        "etcdctl get: "
            + Etcdctl.run(endpoint, null, "--user=alice:alicepw", "get", "a", "-w", "simple")
                .exitCode());
    ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      String token =
          AuthGrpc.newBlockingStub(ch)
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .authenticate(
                  AuthenticateRequest.newBuilder().setName("alice").setPassword("alicepw").build())
              .getToken();
      String[] parts = token.split("\\.");
      out.add("token parts: " + parts.length);
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
      out.add("names alice: " + payload.contains("\"username\":\"alice\""));
      out.add("has revision: " + payload.matches(".*\"revision\":\\d+.*"));
      out.add("read a: " + range(ch, token, "a"));
      out.add("read b: " + range(ch, token, "b"));
      Etcdctl.run(endpoint, null, "--user=root:rootpw", "role", "add", "rb");
      out.add("stale token: " + range(ch, token, "a"));
    } finally {
      ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    return out;
  }

  private static String range(ManagedChannel ch, String token, String key) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
    try {
      KVGrpc.newBlockingStub(ch)
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build());
      return "OK";
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() + " " + e.getStatus().getDescription();
    }
  }
}
