package io.pekkoetcd.grpc.gateway;

import io.grpc.Status;

/**
 * How etcd 3.4's gateway (grpc-gateway v1.9) reports a gRPC status over HTTP: the HTTP status it
 * maps each code to ({@code runtime.HTTPStatusFromCode}; FailedPrecondition is 412 in that version)
 * and the two error bodies, {@code {"error","message","code"}} for a call that failed before any
 * answer and {@code {"error":{"grpc_code","http_code","message","http_status"}}} inside a stream.
 * The status itself always comes from the one error table ({@code io.pekkoetcd.grpc.ErrorTable}).
 */
final class GatewayStatus {
  private GatewayStatus() {}

  /** The HTTP status grpc-gateway answers for {@code code}. */
  static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 408;
      case UNKNOWN -> 500;
      case INVALID_ARGUMENT -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS -> 409;
      case PERMISSION_DENIED -> 403;
      case UNAUTHENTICATED -> 401;
      case RESOURCE_EXHAUSTED -> 429;
      case FAILED_PRECONDITION -> 412;
      case ABORTED -> 409;
      case OUT_OF_RANGE -> 400;
      case UNIMPLEMENTED -> 501;
      case INTERNAL -> 500;
      case UNAVAILABLE -> 503;
      case DATA_LOSS -> 500;
    };
  }

  /** Go's {@code http.StatusText} for the statuses above. */
  static String statusText(int httpStatus) {
    return switch (httpStatus) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 429 -> "Too Many Requests";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Internal Server Error";
    };
  }

  /** The body of a failed call: jsonpb of grpc-gateway's errorBody (empty fields left out). */
  static String errorBody(Status status) {
    String message = status.getDescription() == null ? "" : status.getDescription();
    StringBuilder out = new StringBuilder("{");
    if (!message.isEmpty()) {
      out.append("\"error\":");
      GatewayJson.quote(message, out);
      out.append(",\"message\":");
      GatewayJson.quote(message, out);
    }
    if (status.getCode().value() != 0) {
      out.append(out.length() > 1 ? "," : "").append("\"code\":").append(status.getCode().value());
    }
    return out.append('}').toString();
  }

  /** A stream's error chunk: jsonpb of grpc-gateway's StreamError under "error". */
  static String streamError(Status status) {
    int http = httpStatus(status.getCode());
    StringBuilder out = new StringBuilder("{\"error\":{");
    out.append("\"grpc_code\":").append(status.getCode().value());
    out.append(",\"http_code\":").append(http);
    String message = status.getDescription() == null ? "" : status.getDescription();
    if (!message.isEmpty()) {
      out.append(",\"message\":");
      GatewayJson.quote(message, out);
    }
    out.append(",\"http_status\":");
    GatewayJson.quote(statusText(http), out);
    return out.append("}}").toString();
  }

  /** A stream's message chunk. */
  static String result(String messageJson) {
    return "{\"result\":" + messageJson + "}";
  }
}
