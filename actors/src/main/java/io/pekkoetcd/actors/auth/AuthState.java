package io.pekkoetcd.actors.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.protocol.authpb.Permission;
import io.pekkoetcd.protocol.authpb.Role;
import io.pekkoetcd.protocol.authpb.User;
import io.pekkoetcd.protocol.authpb.UserAddOptions;
import io.pekkoetcd.protocol.internal.AuthStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * etcd's auth store ({@code auth/store.go}) as an immutable value: the enabled flag, the auth
 * revision, users (name, bcrypt hash, sorted roles, no_password) and roles (permissions sorted by
 * key). Every change is a method returning the next state or throwing a {@link ServerException}
 * with etcd's refusal; a refused change changes nothing. Every user/role/permission change bumps
 * the revision; enable and disable do not, and neither does a no-op grant of a role already
 * granted.
 *
 * <p>Pure: no clock, no randomness, no hashing (passwords arrive hashed: the receiving member
 * hashes, Raft carries the hash, as etcd 3.5).
 */
public record AuthState(
    boolean enabled, long revision, SortedMap<String, User> users, SortedMap<String, Role> roles) {

  public static final String ROOT = "root";

  /** A new store: disabled, revision 1 (etcd commits revision 1 when it creates the store). */
  public static final AuthState INITIAL =
      new AuthState(false, 1, Collections.emptySortedMap(), Collections.emptySortedMap());

  public AuthState {
    users = Collections.unmodifiableSortedMap(new TreeMap<>(users));
    roles = Collections.unmodifiableSortedMap(new TreeMap<>(roles));
  }

  // --- enable / disable ---

  /** etcd's AuthEnable: root must exist and hold role root; enabling twice is a no-op. */
  public AuthState enable() {
    if (enabled) {
      return this;
    }
    User root = users.get(ROOT);
    if (root == null) {
      throw refused(ServerError.AUTH_ROOT_USER_NOT_EXIST);
    }
    if (!root.getRolesList().contains(ROOT)) {
      throw refused(ServerError.AUTH_ROOT_ROLE_NOT_GRANTED);
    }
    return new AuthState(true, revision, users, roles);
  }

  public AuthState disable() {
    return enabled ? new AuthState(false, revision, users, roles) : this;
  }

  // --- users ---

  /**
   * @param hashedPassword the bcrypt hash (empty for a no_password user)
   */
  public AuthState userAdd(String name, String hashedPassword, boolean noPassword) {
    if (name.isEmpty()) {
      throw refused(ServerError.AUTH_USER_EMPTY);
    }
    if (users.containsKey(name)) {
      throw refused(ServerError.AUTH_USER_ALREADY_EXIST);
    }
    User.Builder u = User.newBuilder().setName(ByteString.copyFromUtf8(name));
    if (noPassword) {
      u.setOptions(UserAddOptions.newBuilder().setNoPassword(true));
    } else {
      u.setPassword(ByteString.copyFromUtf8(hashedPassword));
    }
    return withUser(u.build()).bumped();
  }

  public AuthState userDelete(String name) {
    if (enabled && ROOT.equals(name)) {
      throw refused(ServerError.AUTH_INVALID_MGMT);
    }
    user(name);
    TreeMap<String, User> next = new TreeMap<>(users);
    next.remove(name);
    return new AuthState(enabled, revision + 1, next, roles);
  }

  public AuthState userChangePassword(String name, String hashedPassword) {
    User u = user(name);
    return withUser(u.toBuilder().setPassword(ByteString.copyFromUtf8(hashedPassword)).build())
        .bumped();
  }

  /** Granting role root needs no role root; granting a role already held is a silent no-op. */
  public AuthState userGrantRole(String name, String role) {
    User u = user(name);
    if (!ROOT.equals(role)) {
      role(role);
    }
    if (u.getRolesList().contains(role)) {
      return this;
    }
    List<String> rs = new ArrayList<>(u.getRolesList());
    rs.add(role);
    Collections.sort(rs);
    return withUser(u.toBuilder().clearRoles().addAllRoles(rs).build()).bumped();
  }

  public AuthState userRevokeRole(String name, String role) {
    if (enabled && ROOT.equals(name) && ROOT.equals(role)) {
      throw refused(ServerError.AUTH_INVALID_MGMT);
    }
    User u = user(name);
    if (!u.getRolesList().contains(role)) {
      throw refused(ServerError.AUTH_ROLE_NOT_GRANTED);
    }
    List<String> rs = new ArrayList<>(u.getRolesList());
    rs.remove(role);
    return withUser(u.toBuilder().clearRoles().addAllRoles(rs).build()).bumped();
  }

  /** The user, or "user name not found". */
  public User user(String name) {
    User u = users.get(name);
    if (u == null) {
      throw refused(ServerError.AUTH_USER_NOT_FOUND);
    }
    return u;
  }

  public Optional<User> findUser(String name) {
    return Optional.ofNullable(users.get(name));
  }

  // --- roles ---

  public AuthState roleAdd(String name) {
    if (name.isEmpty()) {
      throw refused(ServerError.AUTH_ROLE_EMPTY);
    }
    if (roles.containsKey(name)) {
      throw refused(ServerError.AUTH_ROLE_ALREADY_EXIST);
    }
    TreeMap<String, Role> next = new TreeMap<>(roles);
    next.put(name, Role.newBuilder().setName(ByteString.copyFromUtf8(name)).build());
    return new AuthState(enabled, revision + 1, users, next);
  }

  /** Deletes the role and takes it from every user that holds it (one revision). */
  public AuthState roleDelete(String name) {
    if (enabled && ROOT.equals(name)) {
      throw refused(ServerError.AUTH_INVALID_MGMT);
    }
    role(name);
    TreeMap<String, Role> nextRoles = new TreeMap<>(roles);
    nextRoles.remove(name);
    TreeMap<String, User> nextUsers = new TreeMap<>(users);
    for (User u : users.values()) {
      if (u.getRolesList().contains(name)) {
        List<String> rs = new ArrayList<>(u.getRolesList());
        rs.remove(name);
        nextUsers.put(
            u.getName().toStringUtf8(), u.toBuilder().clearRoles().addAllRoles(rs).build());
      }
    }
    return new AuthState(enabled, revision + 1, nextUsers, nextRoles);
  }

  /**
   * Grants {@code perm} (null: "permission not given"); the same (key, range_end) granted again
   * takes the new type. The range must be valid: key non-empty and range_end empty, {@code "\0"} or
   * after key ("invalid auth management").
   */
  public AuthState roleGrantPermission(String name, Permission perm) {
    Role r = role(name);
    if (perm == null) {
      throw refused(ServerError.AUTH_PERMISSION_NOT_GIVEN);
    }
    if (!KeyRanges.validPermission(perm.getKey(), perm.getRangeEnd())) {
      throw refused(ServerError.AUTH_INVALID_MGMT);
    }
    List<Permission> ps = new ArrayList<>(r.getKeyPermissionList());
    boolean replaced = false;
    for (int i = 0; i < ps.size(); i++) {
      Permission p = ps.get(i);
      if (p.getKey().equals(perm.getKey()) && p.getRangeEnd().equals(perm.getRangeEnd())) {
        ps.set(i, p.toBuilder().setPermType(perm.getPermType()).build());
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      ps.add(perm);
      // stable: equal keys keep their grant order, as etcd's sort of its permission slice
      ps.sort(
          (a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getKey(), b.getKey()));
    }
    return withRole(r.toBuilder().clearKeyPermission().addAllKeyPermission(ps).build()).bumped();
  }

  public AuthState roleRevokePermission(String name, ByteString key, ByteString rangeEnd) {
    Role r = role(name);
    List<Permission> ps = new ArrayList<>(r.getKeyPermissionList());
    boolean removed = ps.removeIf(p -> p.getKey().equals(key) && p.getRangeEnd().equals(rangeEnd));
    if (!removed) {
      throw refused(ServerError.AUTH_PERMISSION_NOT_GRANTED);
    }
    return withRole(r.toBuilder().clearKeyPermission().addAllKeyPermission(ps).build()).bumped();
  }

  /** The role, or "role name not found". */
  public Role role(String name) {
    Role r = roles.get(name);
    if (r == null) {
      throw refused(ServerError.AUTH_ROLE_NOT_FOUND);
    }
    return r;
  }

  // --- serialization ---

  public byte[] encode() {
    return AuthStore.newBuilder()
        .setEnabled(enabled)
        .setRevision(revision)
        .addAllUsers(users.values())
        .addAllRoles(roles.values())
        .build()
        .toByteArray();
  }

  /** The state of a stored blob; null (nothing stored yet) is {@link #INITIAL}. */
  public static AuthState decode(byte[] blob) {
    if (blob == null) {
      return INITIAL;
    }
    try {
      AuthStore s = AuthStore.parseFrom(blob);
      TreeMap<String, User> us = new TreeMap<>();
      for (User u : s.getUsersList()) {
        us.put(u.getName().toStringUtf8(), u);
      }
      TreeMap<String, Role> rs = new TreeMap<>();
      for (Role r : s.getRolesList()) {
        rs.put(r.getName().toStringUtf8(), r);
      }
      return new AuthState(s.getEnabled(), s.getRevision(), us, rs);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable auth store", e);
    }
  }

  private AuthState withUser(User u) {
    TreeMap<String, User> next = new TreeMap<>(users);
    next.put(u.getName().toStringUtf8(), u);
    return new AuthState(enabled, revision, next, roles);
  }

  private AuthState withRole(Role r) {
    TreeMap<String, Role> next = new TreeMap<>(roles);
    next.put(r.getName().toStringUtf8(), r);
    return new AuthState(enabled, revision, users, next);
  }

  private AuthState bumped() {
    return new AuthState(enabled, revision + 1, users, roles);
  }

  private static ServerException refused(ServerError e) {
    return new ServerException(e);
  }
}
