package io.pekkoetcd.actors.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's JWT tokens: options parsed from --auth-token, signed with claims username/revision/exp,
 * verified only with the right key and method and before expiry.
 */
class JwtTokensTest {
  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

  /** Writes {@code kp} as PEM files (PKCS#8 private, X.509 public); returns the option string. */
  static String keys(Path dir, KeyPair kp, String name, String method) throws Exception {
    Path pub = dir.resolve(name + ".pub");
    Path priv = dir.resolve(name + ".key");
    Files.writeString(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
    Files.writeString(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    return "jwt,pub-key=" + pub + ",priv-key=" + priv + ",sign-method=" + method + ",ttl=5m";
  }

  static String pem(String kind, byte[] der) {
    return "-----BEGIN "
        + kind
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + kind
        + "-----\n";
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  @Test
  void simpleIsNoJwt() {
    assertThat(JwtTokens.of("simple", now::get)).isEmpty();
    assertThatThrownBy(() -> JwtTokens.of("magic", now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signVerifyExpireRs256() throws Exception {
    JwtTokens jwt = JwtTokens.of(keys(dir, rsa(), "a", "RS256"), now::get).orElseThrow();
    String t = jwt.sign("alice", 7);
    assertThat(t.split("\\.")).hasSize(3);
    String payload = new String(Base64.getUrlDecoder().decode(t.split("\\.")[1]));
    assertThat(payload).contains("\"username\":\"alice\"").contains("\"revision\":7");
    assertThat(jwt.verify(t)).contains(new Permissions.AuthInfo("alice", 7));
    assertThat(jwt.verify(t.substring(0, t.length() - 4) + "AAAA")).isEmpty();
    assertThat(jwt.verify("not.a.jwt")).isEmpty();
    now.addAndGet(5 * 60_000 + 1);
    assertThat(jwt.verify(t)).isEmpty(); // expired: never extended
  }

  @Test
  void anotherKeyOrMethodDoesNotVerify() throws Exception {
    JwtTokens a = JwtTokens.of(keys(dir, rsa(), "a", "RS256"), now::get).orElseThrow();
    JwtTokens b = JwtTokens.of(keys(dir, rsa(), "b", "RS256"), now::get).orElseThrow();
    assertThat(b.verify(a.sign("alice", 1))).isEmpty();
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    JwtTokens e =
        JwtTokens.of(keys(dir, ec.generateKeyPair(), "e", "ES256"), now::get).orElseThrow();
    String t = e.sign("bob", 3);
    assertThat(e.verify(t)).contains(new Permissions.AuthInfo("bob", 3));
    assertThat(a.verify(t)).isEmpty();
  }

  @Test
  void badOptionsRefuseToStart() {
    assertThatThrownBy(() -> JwtTokens.of("jwt,sign-method=RS256", now::get))
        .hasMessageContaining("pub-key is required");
    assertThatThrownBy(() -> JwtTokens.of("jwt,pub-key=/nope,sign-method=HS256", now::get))
        .hasMessageContaining("unsupported sign-method");
    assertThat(JwtTokens.goDuration("30s")).hasSeconds(30);
    assertThat(JwtTokens.goDuration("2h")).hasHours(2);
  }
}
