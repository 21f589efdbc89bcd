package io.pekkoetcd.actors.auth;

import static io.pekkoetcd.actors.auth.AuthStateTest.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.pekkoetcd.actors.ServerError;
import org.junit.jupiter.api.Test;

/** bcrypt at the given cost, and etcd's CheckPassword refusals. */
class PasswordsTest {
  private final Passwords passwords = new Passwords(4);

  @Test
  void hashIsBcryptAtTheCostAndChecks() {
    String h = passwords.hash("secret");
    assertThat(h).startsWith("$2a$04$");
    AuthState s = AuthStateTest.withRoot().userAdd("u", h, false).userAdd("np", "", true).enable();
    assertThatCode(() -> Passwords.check(s, "u", "secret")).doesNotThrowAnyException();
    refused(ServerError.AUTH_FAILED, () -> Passwords.check(s, "u", "wrong"));
    refused(ServerError.AUTH_FAILED, () -> Passwords.check(s, "ghost", "secret"));
    refused(ServerError.AUTH_NO_PASSWORD_USER, () -> Passwords.check(s, "np", ""));
    refused(ServerError.AUTH_FAILED, () -> Passwords.check(s, "root", "h")); // "h" is no hash
    refused(ServerError.AUTH_NOT_ENABLED, () -> Passwords.check(s.disable(), "u", "secret"));
  }
}
