package io.pekkoetcd.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.actors.ServerException;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.watch.WatchError;
import io.pekkoetcd.watch.WatchException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.grpc.Trailers;
import org.apache.pekko.grpc.internal.MissingParameterException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.Function;

/**
 * The one table from pekko-etcd's internal errors to etcd's gRPC status codes and exact messages
 * (shared/etcd-api.md §3). Clients match on the message string and retry on the code, so both are
 * copied from etcd verbatim. Every service handler of the client port uses {@link #handler()};
 * nothing else builds a status.
 */
public final class ErrorTable {
  private ErrorTable() {}

  /**
   * How pekko-stream's frame parser (under pekko-grpc's decoder) fails a body that ends inside a
   * gRPC frame: an IllegalStateException with this message, recognised here by it; the strict unary
   * path fails the same way.
   */
  static final String TRUNCATED_FRAME = "truncated data in ByteStringParser";

  /** The status etcd answers for {@code error}. */
  public static Status of(MvccError error) {
    return switch (error) {
      case KEY_NOT_PROVIDED ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: key is not provided");
      case KEY_NOT_FOUND -> Status.INVALID_ARGUMENT.withDescription("etcdserver: key not found");
      case VALUE_PROVIDED ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: value is provided");
      case LEASE_PROVIDED ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: lease is provided");
      case TOO_MANY_TXN_OPS ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: too many operations in txn request");
      case DUPLICATE_KEY ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: duplicate key given in txn request");
      case INVALID_SORT_OPTION ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: invalid sort option");
      case COMPACTED ->
          Status.OUT_OF_RANGE.withDescription(
              "etcdserver: mvcc: required revision has been compacted");
      case FUTURE_REV ->
          Status.OUT_OF_RANGE.withDescription(
              "etcdserver: mvcc: required revision is a future revision");
      case LEASE_NOT_FOUND ->
          Status.NOT_FOUND.withDescription("etcdserver: requested lease not found");
      case LEASE_EXISTS ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: lease already exists");
      case LEASE_TTL_TOO_LARGE ->
          Status.OUT_OF_RANGE.withDescription("etcdserver: too large lease TTL");
      case NO_SPACE ->
          Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: mvcc: database space exceeded");
    };
  }

  /** The status etcd answers for {@code error}. */
  public static Status of(ServerError error) {
    return switch (error) {
      case REQUEST_TIMED_OUT -> Status.UNAVAILABLE.withDescription("etcdserver: request timed out");
      case TOO_MANY_REQUESTS ->
          Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: too many requests");
      case REQUEST_TOO_LARGE ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: request is too large");
      case NO_LEADER -> Status.UNAVAILABLE.withDescription("etcdserver: no leader");
      case LEADER_CHANGED -> Status.UNAVAILABLE.withDescription("etcdserver: leader changed");
      case PROPOSAL_DROPPED -> Status.UNKNOWN.withDescription("raft proposal dropped");
      case STOPPED -> Status.UNAVAILABLE.withDescription("etcdserver: server stopped");
      case MEMBER_NOT_FOUND -> Status.NOT_FOUND.withDescription("etcdserver: member not found");
      case MEMBER_ID_EXISTS ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: member ID already exist");
      case PEER_URL_EXISTS ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: Peer URLs already exists");
      case INVALID_PEER_URLS ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: given member URLs are invalid");
      case TOO_MANY_LEARNERS ->
          Status.FAILED_PRECONDITION.withDescription(
              "etcdserver: too many learner members in cluster");
      case MEMBER_NOT_LEARNER ->
          Status.FAILED_PRECONDITION.withDescription(
              "etcdserver: can only promote a learner member");
      case LEARNER_NOT_READY ->
          Status.FAILED_PRECONDITION.withDescription(
              "etcdserver: can only promote a learner member which is in sync with leader");
      case NOT_ENOUGH_STARTED_MEMBERS ->
          Status.FAILED_PRECONDITION.withDescription(
              "etcdserver: re-configuration failed due to not enough started members");
      case UNHEALTHY -> Status.UNAVAILABLE.withDescription("etcdserver: unhealthy cluster");
      case NOT_LEADER -> Status.FAILED_PRECONDITION.withDescription("etcdserver: not leader");
      case BAD_LEADER_TRANSFEREE ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: bad leader transferee");
      // not in etcd's gRPC error table: reaches clients as Unknown with the plain message
      case LEADER_TRANSFER_TIMEOUT ->
          Status.UNKNOWN.withDescription(
              "etcdserver: request timed out, leader transfer took too long");
      case NOT_SUPPORTED_FOR_LEARNER ->
          Status.UNAVAILABLE.withDescription("etcdserver: rpc not supported for learner");
      case AUTH_ROOT_USER_NOT_EXIST ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: root user does not exist");
      case AUTH_ROOT_ROLE_NOT_GRANTED ->
          Status.FAILED_PRECONDITION.withDescription(
              "etcdserver: root user does not have root role");
      case AUTH_USER_ALREADY_EXIST ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: user name already exists");
      case AUTH_USER_EMPTY ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: user name is empty");
      case AUTH_USER_NOT_FOUND ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: user name not found");
      case AUTH_ROLE_ALREADY_EXIST ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: role name already exists");
      case AUTH_ROLE_NOT_FOUND ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: role name not found");
      case AUTH_ROLE_EMPTY ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: role name is empty");
      case AUTH_FAILED ->
          Status.INVALID_ARGUMENT.withDescription(
              "etcdserver: authentication failed, invalid user ID or password");
      // not in etcd's gRPC error table: reaches clients as Unknown with the plain message
      case AUTH_NO_PASSWORD_USER ->
          Status.UNKNOWN.withDescription(
              "auth: authentication failed, password was given for no password user");
      case AUTH_PERMISSION_NOT_GIVEN ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: permission not given");
      case AUTH_PERMISSION_DENIED ->
          Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied");
      case AUTH_ROLE_NOT_GRANTED ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: role is not granted to the user");
      case AUTH_PERMISSION_NOT_GRANTED ->
          Status.FAILED_PRECONDITION.withDescription(
              "etcdserver: permission is not granted to the role");
      case AUTH_NOT_ENABLED ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: authentication is not enabled");
      case AUTH_INVALID_TOKEN ->
          Status.UNAUTHENTICATED.withDescription("etcdserver: invalid auth token");
      case AUTH_INVALID_MGMT ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: invalid auth management");
      case AUTH_OLD_REVISION ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: revision of auth store is old");
      // etcd 3.4's maintenance server passes the auth store's errors through: Unknown, "auth: …"
      case AUTH_MAINTENANCE_USER_EMPTY ->
          Status.UNKNOWN.withDescription("auth: user name is empty");
      case AUTH_MAINTENANCE_PERMISSION_DENIED ->
          Status.UNKNOWN.withDescription("auth: permission denied");
      case CORRUPT -> Status.DATA_LOSS.withDescription("etcdserver: corrupt cluster");
    };
  }

  /** The status etcd ends a Watch stream with for {@code error}. */
  public static Status of(WatchError error) {
    return switch (error) {
      case NO_LEADER -> Status.UNAVAILABLE.withDescription("etcdserver: no leader");
      case CANCELED -> Status.CANCELLED.withDescription("etcdserver: watch canceled");
    };
  }

  /** The status for any failure that reaches the edge. */
  public static Status of(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof MvccException e) {
      return of(e.error());
    }
    if (t instanceof ServerException e) {
      return of(e.error());
    }
    if (t instanceof WatchException e) {
      return of(e.error());
    }
    if (t instanceof StatusRuntimeException e) {
      return e.getStatus();
    }
    if (t instanceof RecipeError.Failure f) {
      // not etcdserver errors: etcd's gRPC layer passes them on as Unknown with the plain message
      return Status.UNKNOWN.withDescription(f.error.message);
    }
    if (t instanceof EntityStreamSizeException e) {
      // grpc-go's wording for a message over the server's receive limit (--max-request-bytes + 512
      // KiB).
      String actual = e.actualSize().isDefined() ? String.valueOf(e.actualSize().get()) : "more";
      return Status.RESOURCE_EXHAUSTED.withDescription(
          "grpc: received message larger than max (" + actual + " vs. " + e.limit() + ")");
    }
    // A request body that is not one whole gRPC message: grpc-go's answers (processUnaryRPC hands
    // the reader's error
    // to status.Convert: io.EOF for no message, io.ErrUnexpectedEOF for a cut-off one).
    if (t instanceof MissingParameterException) {
      return Status.UNKNOWN.withDescription("EOF");
    }
    if (t instanceof IllegalStateException && TRUNCATED_FRAME.equals(t.getMessage())) {
      return Status.UNKNOWN.withDescription("unexpected EOF");
    }
    if (t instanceof InvalidProtocolBufferException) {
      // grpc-go's code and prefix; the rest is protobuf-java's description, not Go's.
      return Status.INTERNAL.withDescription(
          "grpc: error unmarshalling request: " + t.getMessage());
    }
    if (t instanceof UnsupportedOperationException) {
      return Status.UNIMPLEMENTED.withDescription(t.getMessage());
    }
    if (t instanceof TimeoutException) {
      return of(ServerError.REQUEST_TIMED_OUT);
    }
    // Unmapped errors reach etcd clients as Unknown with the raw message, as etcd does.
    return Status.UNKNOWN.withDescription(String.valueOf(t.getMessage()));
  }

  /** The error handler given to every pekko-grpc service handler. */
  public static Function<ActorSystem, Function<Throwable, Trailers>> handler() {
    return system -> failure -> new Trailers(of(failure));
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
