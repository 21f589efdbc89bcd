package io.pekkoetcd.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.actors.auth.AuthHolder;
import io.pekkoetcd.actors.auth.AuthState;
import io.pekkoetcd.actors.auth.Permissions.AuthInfo;
import io.pekkoetcd.actors.auth.SimpleTokens;
import java.util.Random;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.grpc.javadsl.MetadataBuilder;
import org.junit.jupiter.api.Test;

/**
 * Who a call comes from: token (metadata token, else authorization with "Bearer " stripped), else
 * the verified client certificate's CN (never on gateway calls), else no one; an unknown token is
 * "invalid auth token"; with auth disabled nobody is resolved and nothing is checked.
 */
class AuthGuardTest {
  private final AuthHolder holder =
      new AuthHolder(new SimpleTokens(1_000_000, () -> 0, new Random(3)));
  private final AuthGuard guard = new AuthGuard(holder);

  private static Metadata md(String... kv) {
    MetadataBuilder b = new MetadataBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      b.addText(kv[i], kv[i + 1]);
    }
    return b.build();
  }

  private void enable() {
    AuthState s =
        AuthState.INITIAL
            .userAdd("root", "h", false)
            .userGrantRole("root", "root")
            .userAdd("alice", "h", false)
            .enable();
    holder.applied(AuthState.INITIAL, s);
    holder.tokens().assign("tok.7", "alice");
  }

  @Test
  void disabledResolvesNobodyAndChecksNothing() {
    holder.tokens().assign("tok.7", "alice");
    assertThat(guard.who(md("token", "garbage"))).isEmpty();
    guard.admin(md());
  }

  @Test
  void tokenThenAuthorizationThenCertificate() {
    enable();
    long rev = holder.state().revision();
    assertThat(guard.who(md("token", "tok.7"))).contains(new AuthInfo("alice", rev));
    assertThat(guard.who(md("authorization", "Bearer tok.7"))).contains(new AuthInfo("alice", rev));
    assertThat(guard.who(md("authorization", "tok.7"))).contains(new AuthInfo("alice", rev));
    assertThat(guard.who(md(AuthGuard.CERT_CN, "root"))).contains(new AuthInfo("root", rev));
    // a token wins over the certificate
    assertThat(guard.who(md("token", "tok.7", AuthGuard.CERT_CN, "root")))
        .contains(new AuthInfo("alice", rev));
    assertThat(guard.who(md())).isEmpty();
  }

  @Test
  void gatewayCallsIgnoreTheCertificate() {
    enable();
    assertThat(guard.who(md(AuthGuard.GATEWAY, "1", AuthGuard.CERT_CN, "root"))).isEmpty();
    assertThatThrownBy(() -> guard.admin(md(AuthGuard.GATEWAY, "1", AuthGuard.CERT_CN, "root")))
        .isInstanceOf(ServerException.class)
        .extracting(e -> ((ServerException) e).error())
        .isEqualTo(ServerError.AUTH_USER_EMPTY);
  }

  @Test
  void unknownTokenIsInvalidAndChecksRefuse() {
    enable();
    assertThatThrownBy(() -> guard.who(md("token", "nope.1")))
        .extracting(e -> ((ServerException) e).error())
        .isEqualTo(ServerError.AUTH_INVALID_TOKEN);
    assertThatThrownBy(() -> guard.admin(md("token", "tok.7")))
        .extracting(e -> ((ServerException) e).error())
        .isEqualTo(ServerError.AUTH_PERMISSION_DENIED);
    guard.admin(md(AuthGuard.CERT_CN, "root"));
    assertThat(
            guard
                .checked(md(), c -> c.authenticated(), () -> null)
                .toCompletableFuture()
                .isCompletedExceptionally())
        .isTrue();
  }
}
