package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code GET /metrics}: the member's registry in Prometheus' text format (version 0.0.4, what etcd
 * serves and {@code etcdctl check datascale} parses), its gauges refreshed from the actors first
 * ({@link EtcdMember#scrapeMetrics}).
 */
final class MetricsEndpoint {
  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();
  private static final ContentType CONTENT_TYPE =
      ContentTypes.parse(PrometheusTextFormatWriter.CONTENT_TYPE);

  private final EtcdMember member;

  MetricsEndpoint(EtcdMember member) {
    this.member = member;
  }

  CompletionStage<HttpResponse> scrape() {
    return member
        .scrapeMetrics()
        .thenApply(
            snapshots -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
              try {
                WRITER.write(out, snapshots);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return HttpResponse.create()
                  .withStatus(StatusCodes.OK)
                  .withEntity(CONTENT_TYPE, out.toByteArray());
            });
  }
}
