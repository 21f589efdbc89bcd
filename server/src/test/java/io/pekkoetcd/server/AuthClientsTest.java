package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth from the other clients' side, against one real member: jetcd with a user and password
 * (Authenticate, then its token on every call), the JSON gateway (/v3/auth/authenticate, then the
 * token in the Authorization header), /health with auth enabled, and the auth store surviving a
 * restart (tokens do not, as etcd's simple tokens).
 */
class AuthClientsTest {
  @TempDir Path dir;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> post(String endpoint, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void etcdctl(String endpoint, String... args) throws Exception {
    Etcdctl.Result r = Etcdctl.run(endpoint, null, args);
    assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.output()).isZero();
  }

  @Test
  void jetcdGatewayHealthAndRestart() throws Exception {
    Path data = dir.resolve("m");
    int client = InProcessMember.freePort();
    int peer = InProcessMember.freePort();
    try (InProcessMember m = InProcessMember.start(data, "auth-clients", client, peer)) {
      String ep = m.endpoint();
      etcdctl(ep, "user", "add", "root", "--new-user-password=rootpw");
      etcdctl(ep, "user", "add", "alice", "--new-user-password=alicepw");
      etcdctl(ep, "role", "add", "ra");
      etcdctl(ep, "role", "grant-permission", "ra", "--prefix=true", "readwrite", "a/");
      etcdctl(ep, "user", "grant-role", "alice", "ra");
      etcdctl(ep, "auth", "enable");

      // jetcd authenticates and sends its token on every call
      try (Client alice =
          Client.builder().endpoints(ep).user(bs("alice")).password(bs("alicepw")).build()) {
        alice.getKVClient().put(bs("a/1"), bs("v")).get(20, TimeUnit.SECONDS);
        assertThat(alice.getKVClient().get(bs("a/1")).get(20, TimeUnit.SECONDS).getCount())
            .isEqualTo(1);
        Throwable denied =
            catchThrowable(
                () -> alice.getKVClient().put(bs("b"), bs("v")).get(20, TimeUnit.SECONDS));
        assertThat(denied).hasMessageContaining("etcdserver: permission denied");
      }
      try (Client wrong =
          Client.builder().endpoints(ep).user(bs("alice")).password(bs("nope")).build()) {
        Throwable failed =
            catchThrowable(() -> wrong.getKVClient().get(bs("a/1")).get(20, TimeUnit.SECONDS));
        // jetcd reports it as UNAUTHENTICATED, etcd's refusal as the cause
        StringBuilder chain = new StringBuilder();
        for (Throwable c = failed; c != null; c = c.getCause()) {
          chain.append(c).append('\n');
        }
        assertThat(chain.toString())
            .contains("UNAUTHENTICATED")
            .contains("etcdserver: authentication failed, invalid user ID or password");
      }

      // the gateway: authenticate, then the token as the Authorization header
      HttpResponse<String> auth =
          post(ep, "/v3/auth/authenticate", "{\"name\":\"alice\",\"password\":\"alicepw\"}", null);
      assertThat(auth.statusCode()).as(auth.body()).isEqualTo(200);
      Matcher t = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(auth.body());
      assertThat(t.find()).as(auth.body()).isTrue();
      String token = t.group(1);
      HttpResponse<String> put =
          post(ep, "/v3/kv/put", "{\"key\":\"YS8y\",\"value\":\"dg==\"}", token); // a/2
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      HttpResponse<String> anonymous = post(ep, "/v3/kv/range", "{\"key\":\"YS8y\"}", null);
      assertThat(anonymous.body()).contains("etcdserver: user name is empty");
      assertThat(anonymous.statusCode()).isEqualTo(400);
      HttpResponse<String> notAdmin = post(ep, "/v3/auth/user/list", "{}", token);
      assertThat(notAdmin.body()).contains("etcdserver: permission denied");

      // /health reads with internal rights
      HttpResponse<String> health = HttpProbe.get(ep + "/health");
      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      assertThat(health.body()).contains("\"health\":\"true\"");
    }

    // after a restart: still enabled, the same users and roles
    try (InProcessMember m = InProcessMember.start(data, "auth-clients", client, peer)) {
      String ep = m.endpoint();
      Etcdctl.Result anonymous = Etcdctl.run(ep, null, "get", "a/1");
      assertThat(anonymous.output()).contains("etcdserver: user name is empty");
      Etcdctl.Result rootList = Etcdctl.run(ep, null, "--user=root:rootpw", "user", "list");
      assertThat(rootList.output()).isEqualTo("alice\nroot\n");
      Etcdctl.Result aliceGet =
          Etcdctl.run(ep, null, "--user=alice:alicepw", "get", "a/", "--prefix", "--keys-only");
      assertThat(aliceGet.output()).isEqualTo("a/1\n\na/2\n\n");
    }
  }
}
