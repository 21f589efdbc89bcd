package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;

/**
 * A listener of {@code --listen-metrics-urls}: plain HTTP serving {@code /metrics}, {@code
 * /health}, {@code /livez} and {@code /readyz} (as etcd's metrics listener), so that monitoring
 * reaches a member without touching its client port; anything else is 404.
 */
public final class MetricsListener {
  private MetricsListener() {}

  /** Bind a metrics listener for {@code member} on {@code host:port}. */
  public static CompletionStage<ServerBinding> bind(EtcdMember member, String host, int port) {
    HttpEndpoints endpoints = HttpEndpoints.metricsListener(member);
    Materializer mat = Materializer.matFromSystem(member.system());
    Function<HttpRequest, CompletionStage<HttpResponse>> handler =
        request -> {
          request.discardEntityBytes(mat);
          return endpoints
              .handle(request)
              .orElseGet(
                  () ->
                      CompletableFuture.completedFuture(
                          HttpResponse.create().withStatus(StatusCodes.NOT_FOUND)));
        };
    return Http.get(member.system()).newServerAt(host, port).bind(handler);
  }
}
