package io.pekkoetcd.grpc;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.AlarmMember;
import io.pekkoetcd.protocol.etcdserverpb.AlarmType;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * etcd 3.5's health endpoints (shared/etcd-api.md §5.1, §5.2).
 *
 * <p>{@code /health}: the alarms first (any active alarm not named by {@code ?exclude=} →
 * unhealthy, {@code ALARM NOSPACE} / {@code ALARM CORRUPT} / {@code ALARM UNKNOWN}), then the
 * leader ({@code RAFT NO LEADER}, skipped with {@code ?serializable=true}), then a Range of one key
 * (linearizable, or serializable with the flag; {@code RANGE ERROR:<err>}). Answers {@code
 * {"health":"true","reason":""}} with 200 or {@code {"health":"false","reason":...}} with 503, and
 * counts {@code etcd_server_health_success} / {@code _failures}.
 *
 * <p>{@code /livez} (check {@code serializable_read}) and {@code /readyz} ({@code data_corruption}:
 * no CORRUPT alarm; {@code serializable_read}), each check also at {@code /livez/<check>}: {@code
 * ok} with 200 ({@code ?verbose} lists {@code [+]name ok} first); otherwise 503 with the {@code
 * [+]}/{@code [-]name failed: <err>} lines; {@code ?exclude=<check>} skips a check.
 *
 * <p>Alarms are the member's applied ones, read locally as etcd's health check reads them (an Alarm
 * GET goes through Raft, and would time out exactly when there is no leader to report).
 */
final class HealthChecks {
  private static final ByteString KEY = ByteString.copyFromUtf8("health");

  private final EtcdMember member;

  /** One named check: completes with null when it passes, or the error text. */
  private interface Check extends Function<EtcdMember, CompletionStage<String>> {}

  private final Map<String, Map<String, Check>> registries = new LinkedHashMap<>();

  HealthChecks(EtcdMember member) {
    this.member = member;
    Map<String, Check> livez = new LinkedHashMap<>();
    livez.put("serializable_read", m -> serializableRead());
    Map<String, Check> readyz = new LinkedHashMap<>();
    readyz.put("data_corruption", m -> noAlarm(AlarmType.CORRUPT));
    readyz.put("serializable_read", m -> serializableRead());
    registries.put("/livez", livez);
    registries.put("/readyz", readyz);
  }

  /** How to answer {@code request} if its path is one of these endpoints. */
  Optional<Supplier<CompletionStage<HttpResponse>>> handle(HttpRequest request, String path) {
    if (path.equals("/health")) {
      return Optional.of(() -> health(request));
    }
    for (Map.Entry<String, Map<String, Check>> r : registries.entrySet()) {
      if (path.equals(r.getKey())) {
        Set<String> excluded = Set.copyOf(request.getUri().query().getAll("exclude"));
        Map<String, Check> run = new LinkedHashMap<>(r.getValue());
        run.keySet().removeAll(excluded);
        return Optional.of(() -> runChecks(request, run));
      }
      if (path.startsWith(r.getKey() + "/")) {
        String name = path.substring(r.getKey().length() + 1);
        Check c = r.getValue().get(name);
        return c == null
            ? Optional.empty()
            : Optional.of(() -> runChecks(request, Map.of(name, c)));
      }
    }
    return Optional.empty();
  }

  private CompletionStage<HttpResponse> health(HttpRequest request) {
    Set<String> excluded = Set.copyOf(request.getUri().query().getAll("exclude"));
    boolean serializable =
        request.getUri().query().get("serializable").map("true"::equals).orElse(false);
    return member
        .appliedAlarms()
        .thenCompose(
            active -> {
              for (AlarmMember a : active) {
                if (a.getAlarm() != AlarmType.NONE && !excluded.contains(a.getAlarm().name())) {
                  return done(
                      switch (a.getAlarm()) {
                        case NOSPACE -> "ALARM NOSPACE";
                        case CORRUPT -> "ALARM CORRUPT";
                        default -> "ALARM UNKNOWN";
                      });
                }
              }
              if (serializable) {
                return range(true);
              }
              return member
                  .leader()
                  .thenCompose(leader -> leader == 0 ? done("RAFT NO LEADER") : range(false));
            })
        .exceptionally(e -> "RANGE ERROR:" + ErrorTable.of(e).getDescription())
        .thenApply(
            reason -> {
              if (reason == null) {
                member.metrics().healthSuccess.inc();
                return json(StatusCodes.OK, "{\"health\":\"true\",\"reason\":\"\"}");
              }
              member.metrics().healthFailures.inc();
              return json(
                  StatusCodes.SERVICE_UNAVAILABLE,
                  "{\"health\":\"false\",\"reason\":\"" + reason.replace("\"", "\\\"") + "\"}");
            });
  }

  /** null when a Range of one key succeeds, else etcd's reason. */
  private CompletionStage<String> range(boolean serializable) {
    return member
        .range(
            RangeRequest.newBuilder()
                .setKey(KEY)
                .setKeysOnly(true)
                .setLimit(1)
                .setSerializable(serializable)
                .build())
        .handle((ok, e) -> e == null ? null : "RANGE ERROR:" + ErrorTable.of(e).getDescription());
  }

  private CompletionStage<String> serializableRead() {
    return range(true)
        .thenApply(
            reason ->
                reason == null
                    ? null
                    : "range error: " + reason.substring("RANGE ERROR:".length()));
  }

  private CompletionStage<String> noAlarm(AlarmType type) {
    return member
        .appliedAlarms()
        .thenApply(
            active ->
                active.stream().anyMatch(a -> a.getAlarm() == type)
                    ? "alarm activated: " + type.name()
                    : null);
  }

  private CompletionStage<HttpResponse> runChecks(HttpRequest request, Map<String, Check> checks) {
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (Check c : checks.values()) {
      results.add(
          c.apply(member)
              .exceptionally(e -> ErrorTable.of(e).getDescription())
              .toCompletableFuture());
    }
    boolean verbose = request.getUri().query().get("verbose").isPresent();
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenApply(
            all -> {
              StringBuilder lines = new StringBuilder();
              boolean failed = false;
              int i = 0;
              for (String name : checks.keySet()) {
                String error = results.get(i++).join();
                if (error == null) {
                  lines.append("[+]").append(name).append(" ok\n");
                } else {
                  failed = true;
                  lines.append("[-]").append(name).append(" failed: ").append(error).append('\n');
                }
              }
              if (failed) {
                return text(StatusCodes.SERVICE_UNAVAILABLE, lines + "\n");
              }
              return text(StatusCodes.OK, (verbose ? lines.toString() : "") + "ok\n");
            });
  }

  private static CompletionStage<String> done(String reason) {
    return CompletableFuture.completedFuture(reason);
  }

  private static HttpResponse json(StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body);
  }

  private static HttpResponse text(StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.TEXT_PLAIN_UTF8, body);
  }
}
