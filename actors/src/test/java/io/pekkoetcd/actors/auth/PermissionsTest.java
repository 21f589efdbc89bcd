package io.pekkoetcd.actors.auth;

import static io.pekkoetcd.actors.auth.AuthStateTest.b;
import static io.pekkoetcd.actors.auth.AuthStateTest.perm;
import static io.pekkoetcd.actors.auth.AuthStateTest.refused;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.auth.Permissions.AuthInfo;
import io.pekkoetcd.actors.auth.Permissions.Need;
import io.pekkoetcd.protocol.authpb.Permission;
import org.junit.jupiter.api.Test;

/**
 * etcd's isOpPermitted / IsAdminPermitted: a request range must be covered by the union of the
 * user's permissions of the needed type; root may do everything; identity and revision first.
 */
class PermissionsTest {

  private static AuthState state() {
    return AuthStateTest.withRoot()
        .roleAdd("r")
        .roleGrantPermission("r", perm(Permission.Type.READ, "a", "c"))
        .roleGrantPermission("r", perm(Permission.Type.READWRITE, "c", "e"))
        .roleGrantPermission("r", perm(Permission.Type.WRITE, "x", ""))
        .roleAdd("o")
        .roleGrantPermission("o", perm(Permission.Type.READ, "p", "\0"))
        .userAdd("u", "h", false)
        .userGrantRole("u", "r")
        .userGrantRole("u", "o")
        .userAdd("n", "h", false)
        .enable();
  }

  private static AuthInfo as(AuthState s, String user) {
    return new AuthInfo(user, s.revision());
  }

  private static void allowed(AuthState s, String user, String k, String e, Need n) {
    assertThatCode(() -> Permissions.check(s, as(s, user), b(k), b(e), n))
        .doesNotThrowAnyException();
  }

  private static void denied(AuthState s, String user, String k, String e, Need n) {
    refused(
        ServerError.AUTH_PERMISSION_DENIED, () -> Permissions.check(s, as(s, user), b(k), b(e), n));
  }

  @Test
  void unionOfAdjacentGrantsCoversARange() {
    AuthState s = state();
    allowed(s, "u", "a", "e", Need.READ); // [a,c) READ + [c,e) READWRITE
    allowed(s, "u", "b", "", Need.READ);
    denied(s, "u", "a", "f", Need.READ); // beyond e
    denied(s, "u", "0", "b", Need.READ); // before a
    denied(s, "u", "a", "d", Need.WRITE); // [a,c) is read only
    allowed(s, "u", "c", "e", Need.WRITE);
    allowed(s, "u", "x", "", Need.WRITE);
    allowed(s, "u", "x", "", Need.READ); // role o's [p, ∞)
    denied(s, "u", "f", "", Need.READ); // between e and p
    denied(s, "u", "x", "y", Need.WRITE); // a single key does not cover a range
  }

  @Test
  void openEndedGrantCoversFromKeyOn() {
    AuthState s = state();
    allowed(s, "u", "p", "\0", Need.READ);
    allowed(s, "u", "pz", "zzzz", Need.READ);
    denied(s, "u", "o", "\0", Need.READ);
  }

  @Test
  void rootMayDoEverythingOthersNeedGrants() {
    AuthState s = state();
    allowed(s, "root", "anything", "\0", Need.WRITE);
    assertThatCode(() -> Permissions.checkAdmin(s, as(s, "root"))).doesNotThrowAnyException();
    refused(ServerError.AUTH_PERMISSION_DENIED, () -> Permissions.checkAdmin(s, as(s, "u")));
    denied(s, "n", "a", "", Need.READ);
    denied(s, "ghost", "a", "", Need.READ);
  }

  @Test
  void identityAndRevisionComeFirst() {
    AuthState s = state();
    refused(
        ServerError.AUTH_USER_EMPTY, () -> Permissions.check(s, null, b("a"), b(""), Need.READ));
    refused(
        ServerError.AUTH_USER_EMPTY,
        () -> Permissions.checkAuthenticated(s, new AuthInfo("", s.revision())));
    refused(
        ServerError.AUTH_OLD_REVISION,
        () -> Permissions.check(s, new AuthInfo("u", s.revision() - 1), b("a"), b(""), Need.READ));
  }

  @Test
  void disabledAllowsEverything() {
    AuthState s = state().disable();
    assertThatCode(() -> Permissions.check(s, null, b("zz"), b(""), Need.WRITE))
        .doesNotThrowAnyException();
    assertThatCode(() -> Permissions.checkAdmin(s, null)).doesNotThrowAnyException();
  }
}
