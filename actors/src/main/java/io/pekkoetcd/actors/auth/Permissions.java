package io.pekkoetcd.actors.auth;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.protocol.authpb.Permission;
import io.pekkoetcd.protocol.authpb.Role;
import io.pekkoetcd.protocol.authpb.User;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd's permission checks ({@code isOpPermitted}, {@code IsAdminPermitted}): with auth disabled
 * everything passes; otherwise the request must name a user (a token or a client certificate),
 * checked at the current auth revision, who exists and either holds role root or has permissions of
 * the needed type whose union covers the request's whole key range.
 */
public final class Permissions {
  private Permissions() {}

  /** What a request needs on its key range. */
  public enum Need {
    READ,
    WRITE
  }

  /**
   * Who sent a request, as resolved from its token or certificate: the user and the auth revision
   * the identity was established at (a JWT's; a simple token's is the store's current revision).
   */
  public record AuthInfo(String user, long revision) {}

  /** Admin-only requests (user, role and auth management, Compact, Defragment…). */
  public static void checkAdmin(AuthState s, AuthInfo who) {
    if (!s.enabled()) {
      return;
    }
    User u = identified(s, who);
    if (!hasRoot(u)) {
      throw new ServerException(ServerError.AUTH_PERMISSION_DENIED);
    }
  }

  /** Some user must be identified and exist (Status, MemberList, LeaseGrant…). */
  public static void checkAuthenticated(AuthState s, AuthInfo who) {
    if (s.enabled()) {
      identified(s, who);
    }
  }

  /** {@code need} on {@code [key, rangeEnd)} (etcd's range convention). */
  public static void check(
      AuthState s, AuthInfo who, ByteString key, ByteString rangeEnd, Need need) {
    if (!s.enabled()) {
      return;
    }
    User u = identified(s, who);
    if (!hasRoot(u) && !KeyRanges.covered(key, rangeEnd, granted(s, u, need))) {
      throw new ServerException(ServerError.AUTH_PERMISSION_DENIED);
    }
  }

  /** Whether the user holds role root (all permissions, admin). */
  public static boolean hasRoot(User u) {
    return u.getRolesList().contains(AuthState.ROOT);
  }

  private static User identified(AuthState s, AuthInfo who) {
    if (who == null || who.user().isEmpty()) {
      throw new ServerException(ServerError.AUTH_USER_EMPTY);
    }
    if (who.revision() < s.revision()) {
      throw new ServerException(ServerError.AUTH_OLD_REVISION);
    }
    return s.findUser(who.user())
        .orElseThrow(() -> new ServerException(ServerError.AUTH_PERMISSION_DENIED));
  }

  private static List<KeyRanges.Interval> granted(AuthState s, User u, Need need) {
    List<KeyRanges.Interval> out = new ArrayList<>();
    for (String roleName : u.getRolesList()) {
      Role r = s.roles().get(roleName);
      if (r == null) {
        continue;
      }
      for (Permission p : r.getKeyPermissionList()) {
        if (grants(p.getPermType(), need)) {
          out.add(KeyRanges.of(p.getKey(), p.getRangeEnd()));
        }
      }
    }
    return out;
  }

  private static boolean grants(Permission.Type t, Need need) {
    return switch (t) {
      case READWRITE -> true;
      case READ -> need == Need.READ;
      case WRITE -> need == Need.WRITE;
      case UNRECOGNIZED -> false;
    };
  }
}
