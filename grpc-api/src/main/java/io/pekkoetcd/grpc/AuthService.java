package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.AuthAdmin;
import io.pekkoetcd.protocol.etcdserverpb.AuthDisableRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthDisableResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthEnableRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthEnableResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthPowerApi;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleAddResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleDeleteRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleDeleteResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGetRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGetResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleListRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleListResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleRevokePermissionResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthStatusRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthStatusResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserAddResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserChangePasswordRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserChangePasswordResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserDeleteRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserDeleteResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserGetRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserGetResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserGrantRoleRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserGrantRoleResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserListRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserListResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserRevokeRoleRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserRevokeRoleResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthenticateRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthenticateResponse;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * etcd's {@code etcdserverpb.Auth} service: every method admin-only while auth is enabled (role
 * root), except Authenticate (anyone), UserGet of oneself and RoleGet of a role one holds; the work
 * is the member's ({@link AuthAdmin}).
 */
final class AuthService implements AuthPowerApi {
  private final AuthAdmin auth;
  private final AuthGuard guard;

  AuthService(AuthAdmin auth, AuthGuard guard) {
    this.auth = auth;
    this.guard = guard;
  }

  @Override
  public CompletionStage<AuthEnableResponse> authEnable(AuthEnableRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.enable(in));
  }

  @Override
  public CompletionStage<AuthDisableResponse> authDisable(AuthDisableRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.disable(in));
  }

  @Override
  public CompletionStage<AuthStatusResponse> authStatus(AuthStatusRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, auth::status);
  }

  @Override
  public CompletionStage<AuthenticateResponse> authenticate(AuthenticateRequest in, Metadata md) {
    return auth.authenticate(in);
  }

  @Override
  public CompletionStage<AuthUserAddResponse> userAdd(AuthUserAddRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.userAdd(in));
  }

  @Override
  public CompletionStage<AuthUserGetResponse> userGet(AuthUserGetRequest in, Metadata md) {
    return guard.checked(
        md,
        c -> {
          if (c.who() == null || !c.who().user().equals(in.getName())) {
            c.admin();
          } else {
            c.authenticated();
          }
        },
        () -> auth.userGet(in));
  }

  @Override
  public CompletionStage<AuthUserListResponse> userList(AuthUserListRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, auth::userList);
  }

  @Override
  public CompletionStage<AuthUserDeleteResponse> userDelete(AuthUserDeleteRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.userDelete(in));
  }

  @Override
  public CompletionStage<AuthUserChangePasswordResponse> userChangePassword(
      AuthUserChangePasswordRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.userChangePassword(in));
  }

  @Override
  public CompletionStage<AuthUserGrantRoleResponse> userGrantRole(
      AuthUserGrantRoleRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.userGrantRole(in));
  }

  @Override
  public CompletionStage<AuthUserRevokeRoleResponse> userRevokeRole(
      AuthUserRevokeRoleRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.userRevokeRole(in));
  }

  @Override
  public CompletionStage<AuthRoleAddResponse> roleAdd(AuthRoleAddRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.roleAdd(in));
  }

  @Override
  public CompletionStage<AuthRoleGetResponse> roleGet(AuthRoleGetRequest in, Metadata md) {
    return guard.checked(
        md,
        c -> {
          boolean holds =
              c.who() != null
                  && c.state()
                      .findUser(c.who().user())
                      .map(u -> u.getRolesList().contains(in.getRole()))
                      .orElse(false);
          if (holds) {
            c.authenticated();
          } else {
            c.admin();
          }
        },
        () -> auth.roleGet(in));
  }

  @Override
  public CompletionStage<AuthRoleListResponse> roleList(AuthRoleListRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, auth::roleList);
  }

  @Override
  public CompletionStage<AuthRoleDeleteResponse> roleDelete(AuthRoleDeleteRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.roleDelete(in));
  }

  @Override
  public CompletionStage<AuthRoleGrantPermissionResponse> roleGrantPermission(
      AuthRoleGrantPermissionRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.roleGrantPermission(in));
  }

  @Override
  public CompletionStage<AuthRoleRevokePermissionResponse> roleRevokePermission(
      AuthRoleRevokePermissionRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::admin, () -> auth.roleRevokePermission(in));
  }
}
