package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.actors.auth.AuthHolder;
import io.pekkoetcd.actors.auth.AuthState;
import io.pekkoetcd.actors.auth.Permissions;
import io.pekkoetcd.actors.auth.Permissions.AuthInfo;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * The one place the client port decides who sent a call and whether they may (etcd's {@code
 * AuthInfoFromCtx} and the checks of its {@code authApplierV3}/v3rpc layer). With auth disabled
 * every call passes and tokens are ignored.
 *
 * <p>Who: metadata {@code token}, else {@code authorization} (a leading "Bearer " stripped); an
 * unknown or expired token is "invalid auth token". With no token, {@code pekko-etcd-cert-cn} (set
 * only by the TLS client-port wrapper from a verified client certificate, which strips any a client
 * sent) names the user, except on gateway calls (marked {@value #GATEWAY} by the JSON gateway), as
 * etcd ignores certificates there. No identity at all is "user name is empty" for a checked call.
 */
final class AuthGuard {
  /** The verified client certificate's CN (the TLS wrapper's contract). */
  static final String CERT_CN = io.pekkoetcd.grpc.tls.CertCnHeader.NAME;

  /** Set by the JSON gateway on every call it makes. */
  static final String GATEWAY = "pekko-etcd-gateway";

  private final AuthHolder holder;

  AuthGuard(AuthHolder holder) {
    this.holder = holder;
  }

  AuthState state() {
    return holder.state();
  }

  /** Who sent the call; empty if no one is named (or auth is disabled). */
  Optional<AuthInfo> who(Metadata md) {
    if (!holder.state().enabled()) {
      return Optional.empty();
    }
    Optional<String> token = md.getText("token").or(() -> md.getText("authorization"));
    if (token.isPresent()) {
      String t = token.get().startsWith("Bearer ") ? token.get().substring(7) : token.get();
      return Optional.of(
          holder
              .resolveToken(t)
              .orElseThrow(() -> new ServerException(ServerError.AUTH_INVALID_TOKEN)));
    }
    if (md.getText(GATEWAY).isEmpty()) {
      Optional<String> cn = md.getText(CERT_CN).filter(s -> !s.isEmpty());
      if (cn.isPresent()) {
        return Optional.of(new AuthInfo(cn.get(), holder.state().revision()));
      }
    }
    return Optional.empty();
  }

  /** Admin-only calls: role root. */
  void admin(Metadata md) {
    Permissions.checkAdmin(holder.state(), who(md).orElse(null));
  }

  /** Calls that need only some existing user. */
  void authenticated(Metadata md) {
    Permissions.checkAuthenticated(holder.state(), who(md).orElse(null));
  }

  /**
   * Runs {@code check} with the caller's identity (null: none) and the state, then {@code call}; a
   * refused check fails the stage.
   */
  <R> CompletionStage<R> checked(
      Metadata md, Consumer<Checker> check, Supplier<CompletionStage<R>> call) {
    return checkedAs(md, check, who -> call.get());
  }

  /**
   * As {@link #checked}; {@code call} gets the identity the check passed (null with auth disabled
   * or no identity), for writes to carry through Raft (etcd's RequestHeader).
   */
  <R> CompletionStage<R> checkedAs(
      Metadata md,
      Consumer<Checker> check,
      java.util.function.Function<AuthInfo, CompletionStage<R>> call) {
    AuthInfo who = null;
    try {
      if (holder.state().enabled()) {
        who = who(md).orElse(null);
        check.accept(new Checker(holder.state(), who));
      }
    } catch (ServerException e) {
      return CompletableFuture.failedFuture(e);
    }
    return call.apply(who);
  }

  /** The state and identity a check runs against. */
  record Checker(AuthState state, AuthInfo who) {
    void admin() {
      Permissions.checkAdmin(state, who);
    }

    void authenticated() {
      Permissions.checkAuthenticated(state, who);
    }

    /** etcd 3.4's maintenance admin check, whose refusals reach clients unmapped ("auth: …"). */
    void maintenanceAdmin() {
      try {
        Permissions.checkAdmin(state, who);
      } catch (ServerException e) {
        throw new ServerException(
            switch (e.error()) {
              case AUTH_USER_EMPTY -> ServerError.AUTH_MAINTENANCE_USER_EMPTY;
              case AUTH_PERMISSION_DENIED -> ServerError.AUTH_MAINTENANCE_PERMISSION_DENIED;
              default -> e.error();
            });
      }
    }

    void read(com.google.protobuf.ByteString key, com.google.protobuf.ByteString rangeEnd) {
      Permissions.check(state, who, key, rangeEnd, Permissions.Need.READ);
    }

    void write(com.google.protobuf.ByteString key, com.google.protobuf.ByteString rangeEnd) {
      Permissions.check(state, who, key, rangeEnd, Permissions.Need.WRITE);
    }
  }

  /**
   * As {@link #checked} for etcd's Lock and Election servers, which run as the caller through a
   * client and pass its refusal on unmapped: gRPC Unknown with etcd's message.
   */
  <R> CompletionStage<R> checkedRecipe(
      Metadata md, Consumer<Checker> check, Supplier<CompletionStage<R>> call) {
    Optional<ServerException> refused = refusal(md, check);
    if (refused.isPresent()) {
      return CompletableFuture.failedFuture(
          new io.grpc.StatusRuntimeException(
              io.grpc.Status.UNKNOWN.withDescription(
                  ErrorTable.of(refused.get()).getDescription())));
    }
    return call.get();
  }

  /** The refusal of the caller by {@code check}, if auth is enabled and it refuses. */
  Optional<ServerException> refusal(Metadata md, Consumer<Checker> check) {
    try {
      if (holder.state().enabled()) {
        check.accept(new Checker(holder.state(), who(md).orElse(null)));
      }
      return Optional.empty();
    } catch (ServerException e) {
      return Optional.of(e);
    }
  }

  /**
   * As {@link #checked} for a stream: a refusal is the stream's failure, before anything is served.
   */
  <R> org.apache.pekko.stream.javadsl.Source<R, org.apache.pekko.NotUsed> checkedStream(
      Metadata md,
      Consumer<Checker> check,
      Supplier<org.apache.pekko.stream.javadsl.Source<R, org.apache.pekko.NotUsed>> stream) {
    try {
      if (holder.state().enabled()) {
        check.accept(new Checker(holder.state(), who(md).orElse(null)));
      }
    } catch (ServerException e) {
      return org.apache.pekko.stream.javadsl.Source.failed(e);
    }
    return stream.get();
  }
}
