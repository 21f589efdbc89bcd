package io.pekkoetcd.actors.auth;

import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.protocol.authpb.User;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * bcrypt as etcd uses it: the receiving member hashes a new password with {@code --bcrypt-cost}
 * (default 10) and ships the hash through Raft; Authenticate compares against the stored hash.
 */
public final class Passwords {
  /** etcd's default bcrypt cost. */
  public static final int DEFAULT_COST = 10;

  private final int cost;

  public Passwords(int cost) {
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException("bcrypt cost must be in [4, 31]: " + cost);
    }
    this.cost = cost;
  }

  public String hash(String password) {
    return BCrypt.hashpw(password, BCrypt.gensalt(cost));
  }

  /**
   * etcd's CheckPassword: a user added with no_password never authenticates by password ("password
   * was given for no password user"); an unknown user or a wrong password is "authentication
   * failed".
   */
  public static void check(AuthState s, String name, String password) {
    if (!s.enabled()) {
      throw new ServerException(ServerError.AUTH_NOT_ENABLED);
    }
    User u = s.findUser(name).orElse(null);
    if (u == null) {
      throw new ServerException(ServerError.AUTH_FAILED);
    }
    if (u.hasOptions() && u.getOptions().getNoPassword()) {
      throw new ServerException(ServerError.AUTH_NO_PASSWORD_USER);
    }
    String hash = u.getPassword().toStringUtf8();
    boolean ok;
    try {
      ok = !hash.isEmpty() && BCrypt.checkpw(password, hash);
    } catch (IllegalArgumentException e) {
      ok = false; // not a bcrypt hash: no password matches it
    }
    if (!ok) {
      throw new ServerException(ServerError.AUTH_FAILED);
    }
  }
}
