package io.pekkoetcd.actors.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.protocol.authpb.Permission;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** etcd's auth store rules (auth/store.go), one test per rule. */
class AuthStateTest {

  static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static Permission perm(Permission.Type t, String key, String end) {
    return Permission.newBuilder().setPermType(t).setKey(b(key)).setRangeEnd(b(end)).build();
  }

  static void refused(ServerError e, ThrowingCallable c) {
    assertThatThrownBy(c)
        .isInstanceOf(ServerException.class)
        .extracting(t -> ((ServerException) t).error())
        .isEqualTo(e);
  }

  static AuthState withRoot() {
    return AuthState.INITIAL.userAdd("root", "h", false).userGrantRole("root", "root");
  }

  @Test
  void enableNeedsRootUserWithRootRole() {
    refused(ServerError.AUTH_ROOT_USER_NOT_EXIST, () -> AuthState.INITIAL.enable());
    AuthState s = AuthState.INITIAL.userAdd("root", "h", false);
    refused(ServerError.AUTH_ROOT_ROLE_NOT_GRANTED, s::enable);
    AuthState on = s.userGrantRole("root", "root").enable();
    assertThat(on.enabled()).isTrue();
    assertThat(on.enable()).isSameAs(on); // twice: no-op
    assertThat(on.revision()).isEqualTo(s.userGrantRole("root", "root").revision());
    assertThat(on.disable().enabled()).isFalse();
  }

  @Test
  void everyUserOrRoleChangeBumpsTheRevision() {
    AuthState s = AuthState.INITIAL;
    assertThat(s.revision()).isEqualTo(1);
    s = s.userAdd("u", "h", false);
    assertThat(s.revision()).isEqualTo(2);
    s = s.roleAdd("r");
    assertThat(s.revision()).isEqualTo(3);
    s = s.userGrantRole("u", "r");
    assertThat(s.revision()).isEqualTo(4);
    assertThat(s.userGrantRole("u", "r").revision()).isEqualTo(4); // re-grant: no-op
    s = s.roleGrantPermission("r", perm(Permission.Type.READ, "a", ""));
    assertThat(s.revision()).isEqualTo(5);
    s = s.userChangePassword("u", "h2");
    assertThat(s.revision()).isEqualTo(6);
  }

  @Test
  void userRefusals() {
    refused(ServerError.AUTH_USER_EMPTY, () -> AuthState.INITIAL.userAdd("", "h", false));
    AuthState s = AuthState.INITIAL.userAdd("u", "h", false);
    refused(ServerError.AUTH_USER_ALREADY_EXIST, () -> s.userAdd("u", "h", false));
    refused(ServerError.AUTH_USER_NOT_FOUND, () -> s.userDelete("x"));
    refused(ServerError.AUTH_USER_NOT_FOUND, () -> s.userChangePassword("x", "h"));
    refused(ServerError.AUTH_USER_NOT_FOUND, () -> s.userGrantRole("x", "root"));
    refused(ServerError.AUTH_ROLE_NOT_FOUND, () -> s.userGrantRole("u", "nope"));
    refused(ServerError.AUTH_ROLE_NOT_GRANTED, () -> s.userRevokeRole("u", "root"));
    assertThat(s.userGrantRole("u", "root").user("u").getRolesList()).containsExactly("root");
  }

  @Test
  void rootIsProtectedOnlyWhileEnabled() {
    AuthState on = withRoot().enable();
    refused(ServerError.AUTH_INVALID_MGMT, () -> on.userDelete("root"));
    refused(ServerError.AUTH_INVALID_MGMT, () -> on.userRevokeRole("root", "root"));
    AuthState onWithRole = withRoot().roleAdd("root").enable();
    refused(ServerError.AUTH_INVALID_MGMT, () -> onWithRole.roleDelete("root"));
    assertThat(withRoot().userDelete("root").users()).isEmpty();
    assertThat(withRoot().userRevokeRole("root", "root").user("root").getRolesList()).isEmpty();
  }

  @Test
  void rolesSortedAndRoleDeleteRemovesItFromUsers() {
    AuthState s =
        AuthState.INITIAL
            .roleAdd("b")
            .roleAdd("a")
            .userAdd("u", "h", false)
            .userGrantRole("u", "b")
            .userGrantRole("u", "a");
    assertThat(s.user("u").getRolesList()).containsExactly("a", "b");
    refused(ServerError.AUTH_ROLE_EMPTY, () -> s.roleAdd(""));
    refused(ServerError.AUTH_ROLE_ALREADY_EXIST, () -> s.roleAdd("a"));
    refused(ServerError.AUTH_ROLE_NOT_FOUND, () -> s.roleDelete("zz"));
    AuthState d = s.roleDelete("a");
    assertThat(d.user("u").getRolesList()).containsExactly("b");
    assertThat(d.roles()).containsOnlyKeys("b");
    assertThat(d.revision()).isEqualTo(s.revision() + 1);
  }

  @Test
  void grantValidatesOverwritesAndRevokeNeedsAGrant() {
    AuthState s = AuthState.INITIAL.roleAdd("r");
    refused(
        ServerError.AUTH_ROLE_NOT_FOUND,
        () -> s.roleGrantPermission("x", perm(Permission.Type.READ, "a", "")));
    refused(ServerError.AUTH_PERMISSION_NOT_GIVEN, () -> s.roleGrantPermission("r", null));
    refused(
        ServerError.AUTH_INVALID_MGMT,
        () -> s.roleGrantPermission("r", perm(Permission.Type.READ, "", "")));
    refused(
        ServerError.AUTH_INVALID_MGMT,
        () -> s.roleGrantPermission("r", perm(Permission.Type.READ, "b", "a")));
    refused(
        ServerError.AUTH_INVALID_MGMT,
        () -> s.roleGrantPermission("r", perm(Permission.Type.READ, "a", "a")));
    AuthState g =
        s.roleGrantPermission("r", perm(Permission.Type.READ, "k", "\0"))
            .roleGrantPermission("r", perm(Permission.Type.WRITE, "c", "d"))
            .roleGrantPermission("r", perm(Permission.Type.READ, "c", "d"));
    assertThat(g.role("r").getKeyPermissionList())
        .containsExactly(
            perm(Permission.Type.READ, "c", "d"), perm(Permission.Type.READ, "k", "\0"));
    refused(
        ServerError.AUTH_PERMISSION_NOT_GRANTED, () -> g.roleRevokePermission("r", b("c"), b("")));
    AuthState r = g.roleRevokePermission("r", b("c"), b("d"));
    assertThat(r.role("r").getKeyPermissionList())
        .containsExactly(perm(Permission.Type.READ, "k", "\0"));
  }

  @Test
  void encodeDecodeRoundTrips() {
    AuthState s =
        withRoot()
            .roleAdd("r")
            .roleGrantPermission("r", perm(Permission.Type.READWRITE, "a", "b"))
            .userAdd("np", "", true)
            .userGrantRole("np", "r")
            .enable();
    assertThat(AuthState.decode(s.encode())).isEqualTo(s);
    assertThat(AuthState.decode(null)).isEqualTo(AuthState.INITIAL);
    assertThat(AuthState.decode(s.encode()).user("np").getOptions().getNoPassword()).isTrue();
  }
}
