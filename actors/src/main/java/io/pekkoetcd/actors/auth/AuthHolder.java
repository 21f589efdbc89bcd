package io.pekkoetcd.actors.auth;

import java.util.Optional;

/**
 * A member's applied auth state and its simple tokens, shared between the apply side (the only
 * writer: it publishes each state after the batch that changed it is committed) and the gRPC edge
 * (readers: permission checks, Authenticate, AuthStatus). Thread-safe.
 */
public final class AuthHolder {
  private volatile AuthState state = AuthState.INITIAL;
  private final SimpleTokens tokens;
  private final Optional<JwtTokens> jwt;

  public AuthHolder(SimpleTokens tokens) {
    this(tokens, Optional.empty());
  }

  /**
   * @param jwt with {@code --auth-token jwt,…}: Authenticate issues signed tokens instead of simple
   *     ones
   */
  public AuthHolder(SimpleTokens tokens, Optional<JwtTokens> jwt) {
    this.tokens = tokens;
    this.jwt = jwt;
  }

  public Optional<JwtTokens> jwt() {
    return jwt;
  }

  public AuthState state() {
    return state;
  }

  public SimpleTokens tokens() {
    return tokens;
  }

  /** The state of a freshly opened or installed store (tokens outlive neither). */
  public void reset(AuthState s) {
    tokens.clear();
    state = s;
  }

  /**
   * A committed change from {@code before} to {@code after}: disabling drops every token, a user
   * deleted or whose password changed loses theirs (etcd's invalidateUser).
   */
  public void applied(AuthState before, AuthState after) {
    if (!after.enabled()) {
      tokens.clear();
    }
    before
        .users()
        .forEach(
            (name, u) -> {
              var now = after.users().get(name);
              if (now == null || !now.getPassword().equals(u.getPassword())) {
                tokens.invalidateUser(name);
              }
            });
    state = after;
  }

  /**
   * Who a token names: a live simple token's user at the current auth revision (as etcd's simple
   * token provider), a valid JWT's user at the revision it was issued at, or empty (invalid or
   * expired).
   */
  public Optional<Permissions.AuthInfo> resolveToken(String token) {
    if (jwt.isPresent()) {
      return jwt.get().verify(token); // the revision it was issued at
    }
    AuthState s = state;
    return tokens.use(token).map(user -> new Permissions.AuthInfo(user, s.revision()));
  }
}
