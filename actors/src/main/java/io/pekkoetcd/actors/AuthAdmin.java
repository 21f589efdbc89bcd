package io.pekkoetcd.actors;

import com.google.protobuf.Message;
import io.pekkoetcd.actors.auth.AuthHolder;
import io.pekkoetcd.actors.auth.AuthState;
import io.pekkoetcd.actors.auth.Passwords;
import io.pekkoetcd.protocol.authpb.User;
import io.pekkoetcd.protocol.etcdserverpb.AuthDisableRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthDisableResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthEnableRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthEnableResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleAddResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleDeleteRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleDeleteResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGetRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGetResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleListResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleRevokePermissionResponse;
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
import io.pekkoetcd.protocol.etcdserverpb.AuthUserListResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserRevokeRoleRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserRevokeRoleResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthenticateRequest;
import io.pekkoetcd.protocol.etcdserverpb.AuthenticateResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.internal.InternalAuthenticateRequest;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Auth service's member side (etcd's {@code EtcdServer} auth methods): changes go through Raft
 * (passwords hashed here, on the receiving member, as etcd 3.5; a simple token's random part drawn
 * here, its index added at apply); AuthStatus, UserGet/List and RoleGet/List read the applied auth
 * state locally. Permission checks are the edge's ({@code AuthGuard} there), before these run.
 */
public final class AuthAdmin {

  /** Proposes a request through Raft and completes with its applied answer. */
  interface Proposer {
    <R extends Message> CompletionStage<R> propose(InternalRaftRequest.Builder r, Class<R> type);
  }

  private final AuthHolder holder;
  private final Passwords passwords;
  private final Proposer raft;
  private final Supplier<ResponseHeader> header;

  AuthAdmin(AuthHolder holder, int bcryptCost, Proposer raft, Headers headers, LongSupplier rev) {
    this.holder = holder;
    this.passwords = new Passwords(bcryptCost);
    this.raft = raft;
    this.header = () -> headers.header(rev.getAsLong(), 0);
  }

  /** The applied auth state and tokens this member's edge checks against. */
  public AuthHolder holder() {
    return holder;
  }

  public CompletionStage<AuthEnableResponse> enable(AuthEnableRequest r) {
    return raft.propose(
        InternalRaftRequest.newBuilder().setAuthEnable(r), AuthEnableResponse.class);
  }

  public CompletionStage<AuthDisableResponse> disable(AuthDisableRequest r) {
    return raft.propose(
        InternalRaftRequest.newBuilder().setAuthDisable(r), AuthDisableResponse.class);
  }

  public CompletionStage<AuthStatusResponse> status() {
    AuthState s = holder.state();
    return CompletableFuture.completedFuture(
        AuthStatusResponse.newBuilder()
            .setHeader(header.get())
            .setEnabled(s.enabled())
            .setAuthRevision(s.revision())
            .build());
  }

  /** etcd's CheckPassword here (bcrypt is slow: not in the apply path), then a token via Raft. */
  public CompletionStage<AuthenticateResponse> authenticate(AuthenticateRequest r) {
    try {
      Passwords.check(holder.state(), r.getName(), r.getPassword());
    } catch (ServerException e) {
      return CompletableFuture.failedFuture(e);
    }
    return raft.propose(
        InternalRaftRequest.newBuilder()
            .setAuthenticate(
                InternalAuthenticateRequest.newBuilder()
                    .setName(r.getName())
                    .setSimpleToken(holder.tokens().prefix())),
        AuthenticateResponse.class);
  }

  public CompletionStage<AuthUserAddResponse> userAdd(AuthUserAddRequest r) {
    AuthUserAddRequest.Builder b = r.toBuilder().clearPassword();
    boolean noPassword = r.hasOptions() && r.getOptions().getNoPassword();
    if (!noPassword && r.getHashedPassword().isEmpty()) {
      b.setHashedPassword(passwords.hash(r.getPassword()));
    }
    return raft.propose(InternalRaftRequest.newBuilder().setUserAdd(b), AuthUserAddResponse.class);
  }

  public CompletionStage<AuthUserDeleteResponse> userDelete(AuthUserDeleteRequest r) {
    return raft.propose(
        InternalRaftRequest.newBuilder().setUserDelete(r), AuthUserDeleteResponse.class);
  }

  public CompletionStage<AuthUserChangePasswordResponse> userChangePassword(
      AuthUserChangePasswordRequest r) {
    AuthUserChangePasswordRequest.Builder b = r.toBuilder().clearPassword();
    if (r.getHashedPassword().isEmpty()) {
      b.setHashedPassword(passwords.hash(r.getPassword()));
    }
    return raft.propose(
        InternalRaftRequest.newBuilder().setUserChangePassword(b),
        AuthUserChangePasswordResponse.class);
  }

  public CompletionStage<AuthUserGrantRoleResponse> userGrantRole(AuthUserGrantRoleRequest r) {
    return raft.propose(
        InternalRaftRequest.newBuilder().setUserGrantRole(r), AuthUserGrantRoleResponse.class);
  }

  public CompletionStage<AuthUserRevokeRoleResponse> userRevokeRole(AuthUserRevokeRoleRequest r) {
    return raft.propose(
        InternalRaftRequest.newBuilder().setUserRevokeRole(r), AuthUserRevokeRoleResponse.class);
  }

  public CompletionStage<AuthUserGetResponse> userGet(AuthUserGetRequest r) {
    return local(
        () -> {
          User u = holder.state().user(r.getName());
          return AuthUserGetResponse.newBuilder()
              .setHeader(header.get())
              .addAllRoles(u.getRolesList())
              .build();
        });
  }

  public CompletionStage<AuthUserListResponse> userList() {
    return local(
        () ->
            AuthUserListResponse.newBuilder()
                .setHeader(header.get())
                .addAllUsers(holder.state().users().keySet())
                .build());
  }

  public CompletionStage<AuthRoleAddResponse> roleAdd(AuthRoleAddRequest r) {
    return raft.propose(InternalRaftRequest.newBuilder().setRoleAdd(r), AuthRoleAddResponse.class);
  }

  public CompletionStage<AuthRoleDeleteResponse> roleDelete(AuthRoleDeleteRequest r) {
    return raft.propose(
        InternalRaftRequest.newBuilder().setRoleDelete(r), AuthRoleDeleteResponse.class);
  }

  public CompletionStage<AuthRoleGrantPermissionResponse> roleGrantPermission(
      AuthRoleGrantPermissionRequest r) {
    if (!r.hasPerm()) {
      return CompletableFuture.failedFuture(
          new ServerException(ServerError.AUTH_PERMISSION_NOT_GIVEN));
    }
    return raft.propose(
        InternalRaftRequest.newBuilder().setRoleGrantPermission(r),
        AuthRoleGrantPermissionResponse.class);
  }

  public CompletionStage<AuthRoleRevokePermissionResponse> roleRevokePermission(
      AuthRoleRevokePermissionRequest r) {
    return raft.propose(
        InternalRaftRequest.newBuilder().setRoleRevokePermission(r),
        AuthRoleRevokePermissionResponse.class);
  }

  public CompletionStage<AuthRoleGetResponse> roleGet(AuthRoleGetRequest r) {
    return local(
        () ->
            AuthRoleGetResponse.newBuilder()
                .setHeader(header.get())
                .addAllPerm(holder.state().role(r.getRole()).getKeyPermissionList())
                .build());
  }

  public CompletionStage<AuthRoleListResponse> roleList() {
    return local(
        () ->
            AuthRoleListResponse.newBuilder()
                .setHeader(header.get())
                .addAllRoles(holder.state().roles().keySet())
                .build());
  }

  private static <R> CompletionStage<R> local(Supplier<R> read) {
    try {
      return CompletableFuture.completedFuture(read.get());
    } catch (ServerException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
