package io.pekkoetcd.grpc;

/**
 * The errors of the Lock and Election services that are not etcdserver's (etcd's {@code
 * clientv3/concurrency} and {@code v3election} packages): they reach clients as gRPC Unknown with
 * the plain message, which jetcd matches exactly.
 */
enum RecipeError {
  /** "election: not leader" — Proclaim with a leader key that no longer leads. */
  ELECTION_NOT_LEADER("election: not leader"),
  /** "election: no leader" — Leader of an election nobody campaigns in. */
  ELECTION_NO_LEADER("election: no leader"),
  /** {@code "leader" field must be provided} — Proclaim or Resign without a leader key. */
  MISSING_LEADER_KEY("\"leader\" field must be provided");

  final String message;

  RecipeError(String message) {
    this.message = message;
  }

  /** Thrown by the recipes; mapped by {@link ErrorTable}. */
  static final class Failure extends RuntimeException {
    final RecipeError error;

    Failure(RecipeError error) {
      super(error.message, null, false, false);
      this.error = error;
    }
  }
}
