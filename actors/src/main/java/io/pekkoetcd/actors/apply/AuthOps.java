package io.pekkoetcd.actors.apply;

import com.google.protobuf.Message;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.actors.auth.AuthHolder;
import io.pekkoetcd.actors.auth.AuthState;
import io.pekkoetcd.actors.auth.Permissions;
import io.pekkoetcd.actors.auth.RequestPermissions;
import io.pekkoetcd.actors.auth.SimpleTokens;
import io.pekkoetcd.mvcc.KV;
import io.pekkoetcd.mvcc.TxnWrite;
import io.pekkoetcd.protocol.etcdserverpb.AuthDisableResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthEnableResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleAddResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleDeleteResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthRoleRevokePermissionResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserAddResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserChangePasswordResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserDeleteResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserGrantRoleResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthUserRevokeRoleResponse;
import io.pekkoetcd.protocol.etcdserverpb.AuthenticateResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies committed auth changes (etcd's auth store through Raft) to the auth state the MVCC store
 * keeps: each change is written as one blob in its entry's batch, beside the consistent index (as
 * the membership), so restarts, snapshots and snapshot restore carry it. The {@link AuthHolder} the
 * edge reads is told only after the batch is committed ({@link #committed()}), so the edge never
 * sees a state that a failed batch would lose.
 *
 * <p>Also etcd's apply-time auth check: a request permission-checked at an older auth revision than
 * the store's now is refused with "revision of auth store is old".
 */
final class AuthOps {
  private final AuthHolder holder;
  private AuthState committedState;
  private AuthState state;
  private final List<String[]> assigned = new ArrayList<>();

  AuthOps(KV store, AuthHolder holder) {
    this.holder = holder;
    this.state = AuthState.decode(store.authState());
    this.committedState = state;
    holder.reset(state);
  }

  AuthState state() {
    return state;
  }

  /**
   * etcd's apply-time check of a write that was permission-checked as a user: refused if the auth
   * store changed since ("revision of auth store is old"), and its permissions checked again.
   */
  void checkRevision(KV store, InternalRaftRequest r) {
    if (!state.enabled() || r.getUsername().isEmpty()) {
      return;
    }
    Permissions.AuthInfo who = new Permissions.AuthInfo(r.getUsername(), r.getAuthRevision());
    if (who.revision() < state.revision()) {
      throw new ServerException(ServerError.AUTH_OLD_REVISION);
    }
    switch (r.getRequestCase()) {
      case PUT -> {
        RequestPermissions.put(state, who, r.getPut());
        if (r.getPut().getLease() != 0) {
          // etcd's checkLeasePuts: attaching to a lease needs WRITE on every key already on it
          for (com.google.protobuf.ByteString k : store.keysWithLease(r.getPut().getLease())) {
            Permissions.check(
                state, who, k, com.google.protobuf.ByteString.EMPTY, Permissions.Need.WRITE);
          }
        }
      }
      case DELETE_RANGE -> RequestPermissions.deleteRange(state, who, r.getDeleteRange());
      case TXN -> RequestPermissions.txn(state, who, r.getTxn());
      default -> {
        // other requests carry no user (admin checks happen before proposing, as etcd's)
      }
    }
  }

  /** Applies an auth request in {@code tw}'s batch; a refusal throws a ServerException. */
  Message apply(KV store, TxnWrite tw, InternalRaftRequest r, long index) {
    ResponseHeader h = Ranges.header(store.rev());
    AuthState next;
    Message resp;
    switch (r.getRequestCase()) {
      case AUTH_ENABLE -> {
        next = state.enable();
        resp = AuthEnableResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_DISABLE -> {
        next = state.disable();
        resp = AuthDisableResponse.newBuilder().setHeader(h).build();
      }
      case AUTHENTICATE -> {
        // the password was checked by the receiving member; the user may be gone since
        if (!state.enabled()) {
          throw new ServerException(ServerError.AUTH_NOT_ENABLED);
        }
        String user = r.getAuthenticate().getName();
        if (state.findUser(user).isEmpty()) {
          throw new ServerException(ServerError.AUTH_FAILED);
        }
        String token;
        if (holder.jwt().isPresent()) {
          token = holder.jwt().get().sign(user, state.revision());
        } else {
          token = SimpleTokens.token(r.getAuthenticate().getSimpleToken(), index);
          assigned.add(new String[] {token, user});
        }
        return AuthenticateResponse.newBuilder().setHeader(h).setToken(token).build();
      }
      case USER_ADD -> {
        var u = r.getUserAdd();
        next =
            state.userAdd(
                u.getName(),
                u.getHashedPassword(),
                u.hasOptions() && u.getOptions().getNoPassword());
        resp = AuthUserAddResponse.newBuilder().setHeader(h).build();
      }
      case USER_DELETE -> {
        next = state.userDelete(r.getUserDelete().getName());
        resp = AuthUserDeleteResponse.newBuilder().setHeader(h).build();
      }
      case USER_CHANGE_PASSWORD -> {
        var c = r.getUserChangePassword();
        next = state.userChangePassword(c.getName(), c.getHashedPassword());
        resp = AuthUserChangePasswordResponse.newBuilder().setHeader(h).build();
      }
      case USER_GRANT_ROLE -> {
        var g = r.getUserGrantRole();
        next = state.userGrantRole(g.getUser(), g.getRole());
        resp = AuthUserGrantRoleResponse.newBuilder().setHeader(h).build();
      }
      case USER_REVOKE_ROLE -> {
        var g = r.getUserRevokeRole();
        next = state.userRevokeRole(g.getName(), g.getRole());
        resp = AuthUserRevokeRoleResponse.newBuilder().setHeader(h).build();
      }
      case ROLE_ADD -> {
        next = state.roleAdd(r.getRoleAdd().getName());
        resp = AuthRoleAddResponse.newBuilder().setHeader(h).build();
      }
      case ROLE_DELETE -> {
        next = state.roleDelete(r.getRoleDelete().getRole());
        resp = AuthRoleDeleteResponse.newBuilder().setHeader(h).build();
      }
      case ROLE_GRANT_PERMISSION -> {
        var g = r.getRoleGrantPermission();
        next = state.roleGrantPermission(g.getName(), g.hasPerm() ? g.getPerm() : null);
        resp = AuthRoleGrantPermissionResponse.newBuilder().setHeader(h).build();
      }
      case ROLE_REVOKE_PERMISSION -> {
        var g = r.getRoleRevokePermission();
        next = state.roleRevokePermission(g.getRole(), g.getKey(), g.getRangeEnd());
        resp = AuthRoleRevokePermissionResponse.newBuilder().setHeader(h).build();
      }
      default -> throw new IllegalArgumentException("not an auth request: " + r.getRequestCase());
    }
    if (next != state) {
      tw.putAuthState(next.encode());
      state = next;
    }
    return resp;
  }

  /** The batch is committed: the edge may see its auth state and tokens. */
  void committed() {
    if (state != committedState) {
      holder.applied(committedState, state);
      committedState = state;
    }
    for (String[] a : assigned) {
      holder.tokens().assign(a[0], a[1]);
    }
    assigned.clear();
  }
}
