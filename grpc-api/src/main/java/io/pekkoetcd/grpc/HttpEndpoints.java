package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.actors.ServerVersion;
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
 * {@code /health}, {@code /livez}, {@code /readyz} ({@link HealthChecks}), {@code /metrics} ({@link
 * MetricsEndpoint}) and {@code /version}, in etcd 3.5's format. The metrics listener ({@code
 * --listen-metrics-urls}, {@link MetricsListener}) serves all of them but {@code /version}, as
 * etcd.
 */
final class HttpEndpoints {
  private final HealthChecks health;
  private final MetricsEndpoint metrics;
  private final boolean version;

  HttpEndpoints(EtcdMember member) {
    this(member, true);
  }

  private HttpEndpoints(EtcdMember member, boolean version) {
    this.health = new HealthChecks(member);
    this.metrics = new MetricsEndpoint(member);
    this.version = version;
  }

  /** The endpoints of a metrics listener: all but {@code /version}. */
  static HttpEndpoints metricsListener(EtcdMember member) {
    return new HttpEndpoints(member, false);
  }

  /** The response for {@code request} if it is one of these endpoints, else empty. */
  Optional<CompletionStage<HttpResponse>> handle(HttpRequest request) {
    String path = request.getUri().path();
    if (path.equals("/metrics")) {
      return Optional.of(getOnly(request, metrics::scrape));
    }
    if (version && path.equals("/version")) {
      return Optional.of(getOnly(request, HttpEndpoints::version));
    }
    return health.handle(request, path).map(answer -> getOnly(request, answer));
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
