package io.pekkoetcd.grpc;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.actors.ServerVersion;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;

/**
 * The plain HTTP endpoints etcd serves on its client port beside gRPC (shared/etcd-api.md §5):
 * {@code /health} and {@code /version}, in etcd 3.5's format.
 */
final class HttpEndpoints {
  private static final RangeRequest HEALTH_PROBE =
      RangeRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8("health"))
          .setKeysOnly(true)
          .setLimit(1)
          .build();

  private final EtcdMember member;

  HttpEndpoints(EtcdMember member) {
    this.member = member;
  }

  /** The response for {@code request} if it is one of these endpoints, else empty. */
  Optional<CompletionStage<HttpResponse>> handle(HttpRequest request) {
    String path = request.getUri().path();
    return switch (path) {
      case "/health" -> Optional.of(getOnly(request, () -> health(excluded(request))));
      case "/version" -> Optional.of(getOnly(request, HttpEndpoints::version));
      default -> Optional.empty();
    };
  }

  private static CompletionStage<HttpResponse> getOnly(
      HttpRequest request, java.util.function.Supplier<CompletionStage<HttpResponse>> get) {
    if (!request.method().equals(HttpMethods.GET)) {
      return CompletableFuture.completedFuture(
          HttpResponse.create()
              .withStatus(StatusCodes.METHOD_NOT_ALLOWED)
              .addHeader(Allow.create(HttpMethods.GET)));
    }
    return get.get();
  }

  /** The alarm types named by {@code ?exclude=} (repeatable), e.g. NOSPACE. */
  private static java.util.List<String> excluded(HttpRequest request) {
    return request.getUri().query().getAll("exclude");
  }

  /**
   * As etcd 3.5: unhealthy while an alarm not named in {@code ?exclude=} is active ("ALARM
   * NOSPACE"), else healthy when a linearizable read through the member succeeds.
   */
  private CompletionStage<HttpResponse> health(java.util.List<String> exclude) {
    return member
        .status()
        .thenCompose(
            status -> {
              for (String e : status.getErrorsList()) {
                int at = e.indexOf(" alarm:");
                if (e.startsWith("memberID:") && at > 0) {
                  String type = e.substring(at + " alarm:".length()).strip();
                  if (!exclude.contains(type)) {
                    return CompletableFuture.completedFuture(
                        json(
                            StatusCodes.SERVICE_UNAVAILABLE,
                            "{\"health\":\"false\",\"reason\":\"ALARM " + type + "\"}"));
                  }
                }
              }
              return probe();
            })
        .exceptionallyCompose(e -> probe());
  }

  private CompletionStage<HttpResponse> probe() {
    return member
        .range(HEALTH_PROBE)
        .handle(
            (ok, error) ->
                error == null
                    ? json(StatusCodes.OK, "{\"health\":\"true\",\"reason\":\"\"}")
                    : json(
                        StatusCodes.SERVICE_UNAVAILABLE,
                        "{\"health\":\"false\",\"reason\":\"RANGE ERROR:"
                            + ErrorTable.of(error).getDescription()
                            + "\"}"));
  }

  private static CompletionStage<HttpResponse> version() {
    return CompletableFuture.completedFuture(
        json(
            StatusCodes.OK,
            "{\"etcdserver\":\""
                + ServerVersion.SERVER
                + "\",\"etcdcluster\":\""
                + ServerVersion.CLUSTER
                + "\"}"));
  }

  private static HttpResponse json(
      org.apache.pekko.http.javadsl.model.StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body);
  }
}
