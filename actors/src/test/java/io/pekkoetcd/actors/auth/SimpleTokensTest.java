package io.pekkoetcd.actors.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * etcd's simple tokens: 16 letters + "." + index, TTL extended on each use, per-user invalidation.
 */
class SimpleTokensTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final SimpleTokens tokens = new SimpleTokens(300, now::get, new Random(7));

  @Test
  void tokenFormat() {
    String t = SimpleTokens.token(tokens.prefix(), 53);
    assertThat(t).matches("[a-zA-Z]{16}\\.53");
  }

  @Test
  void ttlIsExtendedOnUseAndExpiresWhenIdle() {
    tokens.assign("t.1", "u");
    now.addAndGet(299);
    assertThat(tokens.use("t.1")).contains("u");
    now.addAndGet(299); // 598 after assign, 299 after last use
    assertThat(tokens.use("t.1")).contains("u");
    now.addAndGet(300);
    assertThat(tokens.use("t.1")).isEmpty();
    assertThat(tokens.use("never")).isEmpty();
  }

  @Test
  void invalidateUserAndClear() {
    tokens.assign("a.1", "u");
    tokens.assign("b.2", "v");
    tokens.invalidateUser("u");
    assertThat(tokens.use("a.1")).isEmpty();
    assertThat(tokens.use("b.2")).contains("v");
    tokens.clear();
    assertThat(tokens.use("b.2")).isEmpty();
  }

  @Test
  void assignDropsExpiredTokens() {
    tokens.assign("a.1", "u");
    now.addAndGet(301);
    tokens.assign("b.2", "v");
    assertThat(tokens.size()).isEqualTo(1);
  }

  @Test
  void expireDropsIdleTokens() {
    tokens.assign("a.1", "u");
    now.addAndGet(301);
    tokens.expire();
    assertThat(tokens.size()).isZero();
  }
}
