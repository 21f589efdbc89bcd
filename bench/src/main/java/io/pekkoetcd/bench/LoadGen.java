package io.pekkoetcd.bench;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.StatusRequest;
import io.pekkoetcd.protocol.etcdserverpb.StatusResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A load generator shaped like etcd's {@code tools/benchmark} and built so that it is not the
 * bottleneck: plain grpc-java, one {@link ManagedChannel} (one HTTP/2 connection) per {@code
 * --conns}, {@code --clients} {@link ClientLoop}s spread over them, each sending its next request
 * from the previous one's response callback. No thread per client and no blocking; callbacks run on
 * the transport's event loop ({@code directExecutor}). Connection {@code i} goes to endpoint {@code
 * i % endpoints}.
 *
 * <p>Prints one line per run (or one JSON object with {@code --json}): workload, conns, clients,
 * requests (successful), errors, requests/s, latency p50/p90/p99/p99.9/max in ms (HdrHistogram,
 * three significant digits), and with {@code --pids} the servers' CPU milliseconds per request and
 * resident memory after the run, both summed over the pids. Error counts by gRPC status go to
 * stderr. Before the clock starts every connection makes one range request, so connection set-up is
 * not measured; with {@code --warmup S} the clients first send S seconds of unmeasured load, so
 * that the generator's own JIT is warm. With {@code --target-leader} every connection goes to the
 * leader. A server that cannot be reached fails the run (exit status 1). Requests carry no deadline
 * unless {@code --timeout} gives one, but every run is bounded: it waits at most a grace period
 * (the timeout, at least 10 s, plus 5 s) past its end for requests still in flight.
 *
 * <pre>java -cp bench/target/pekko-etcd-bench.jar:bench/target/lib/* io.pekkoetcd.bench.LoadGen put
 *     --endpoints http://127.0.0.1:2379 --conns 10 --clients 100 --seconds 10 \
 *     --key-space-size 100000 --sequential-keys --pids 1234</pre>
 */
public final class LoadGen {
  private LoadGen() {}

  /** Latencies above this are recorded as this (no run is that long). */
  static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(600);

  private record Phase(Histogram latencies, Errors errors, double seconds) {}

  /**
   * Runs every client loop until {@code seconds} pass (0: until 600 s) or {@code total} requests
   * have been sent, and waits for them; bounded by the deadline plus the grace period.
   */
  private static Phase phase(
      List<ManagedChannel> channels, Workload workload, LoadOptions o, int seconds, long total)
      throws InterruptedException {
    Recorder latencies = new Recorder(1, MAX_LATENCY_NANOS, 3);
    Errors errors = new Errors();
    AtomicLong tickets = new AtomicLong();
    CountDownLatch done = new CountDownLatch(o.clients());
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds > 0 ? seconds : 600);
    List<ClientLoop> loops = new ArrayList<>();
    for (int j = 0; j < o.clients(); j++) {
      loops.add(
          new ClientLoop(
              channels.get(j % channels.size()),
              workload,
              tickets,
              total,
              deadline,
              TimeUnit.SECONDS.toNanos(o.timeoutSeconds()),
              latencies,
              errors,
              done));
    }
    loops.forEach(ClientLoop::start);
    // A request without a deadline may never end: the run is bounded all the same.
    long bound = deadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds(o));
    if (!done.await(bound, TimeUnit.NANOSECONDS)) {
      System.err.println("LoadGen: " + done.getCount() + " clients did not finish in time");
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Phase(latencies.getIntervalHistogram(), errors, elapsed);
  }

  /**
   * One run's outcome: the endpoints the connections went to (the leader alone with {@code
   * --target-leader}); CPU in clock ticks, the generator's own ({@code clientTicks}) too.
   */
  record Result(
      LoadOptions options,
      List<LoadOptions.Endpoint> endpoints,
      long requests,
      long errors,
      Map<String, String> errorSummary,
      double seconds,
      Histogram latencies,
      ServerUsage before,
      ServerUsage after,
      long clientTicks) {

    double rate() {
      return requests / seconds;
    }

    double percentileMillis(double p) {
      return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(p) / 1e6;
    }

    double maxMillis() {
      return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getMaxValue() / 1e6;
    }

    double serverCpuMillisPerRequest() {
      long ticks = after.cpuTicks() - before.cpuTicks();
      return requests == 0 ? 0 : ticks * 1000.0 / ServerUsage.CLOCK_TICKS_PER_SECOND / requests;
    }

    double clientCpuMillisPerRequest() {
      return requests == 0
          ? 0
          : clientTicks * 1000.0 / ServerUsage.CLOCK_TICKS_PER_SECOND / requests;
    }

    String text() {
      LoadOptions o = options;
      StringBuilder s =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%s workload=%s conns=%d clients=%d requests=%d errors=%d rate=%.0f/s"
                      + " p50=%.3fms p90=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms"
                      + " client-cpu=%.3fms/request",
                  o.label().isEmpty() ? endpoints.get(0).toString() : o.label(),
                  o.workload(),
                  o.conns(),
                  o.clients(),
                  requests,
                  errors,
                  rate(),
                  percentileMillis(50),
                  percentileMillis(90),
                  percentileMillis(99),
                  percentileMillis(99.9),
                  maxMillis(),
                  clientCpuMillisPerRequest()));
      if (!o.pids().isEmpty()) {
        s.append(
            String.format(
                Locale.ROOT,
                " server-cpu=%.3fms/request server-rss=%dMiB",
                serverCpuMillisPerRequest(),
                after.rssKib() / 1024));
      }
      return s.toString();
    }

    String json() {
      LoadOptions o = options;
      StringBuilder s =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "{\"label\":\"%s\",\"workload\":\"%s\",\"endpoints\":\"%s\",\"conns\":%d,"
                      + "\"clients\":%d,\"requests\":%d,\"errors\":%d,\"seconds\":%.3f,"
                      + "\"rate\":%.1f,\"p50_ms\":%s,\"p90_ms\":%s,\"p99_ms\":%s,"
                      + "\"p999_ms\":%s,\"max_ms\":%s,\"client_cpu_ms_per_request\":%.4f",
                  o.label().replace("\\", "\\\\").replace("\"", "\\\""),
                  o.workload(),
                  String.join(",", endpoints.stream().map(Object::toString).toList()),
                  o.conns(),
                  o.clients(),
                  requests,
                  errors,
                  seconds,
                  rate(),
                  jsonMillis(percentileMillis(50)),
                  jsonMillis(percentileMillis(90)),
                  jsonMillis(percentileMillis(99)),
                  jsonMillis(percentileMillis(99.9)),
                  jsonMillis(maxMillis()),
                  clientCpuMillisPerRequest()));
      if (!o.pids().isEmpty()) {
        s.append(
            String.format(
                Locale.ROOT,
                ",\"server_cpu_ms_per_request\":%.4f,\"server_rss_mib\":%d",
                serverCpuMillisPerRequest(),
                after.rssKib() / 1024));
      }
      return s.append('}').toString();
    }

    /** A latency for JSON: {@code null} when there were no samples (JSON has no NaN). */
    private static String jsonMillis(double millis) {
      return Double.isNaN(millis) ? "null" : String.format(Locale.ROOT, "%.4f", millis);
    }
  }

  public static void main(String[] args) throws Exception {
    LoadOptions o;
    try {
      o = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Result r;
    try {
      r = run(o);
    } catch (StatusRuntimeException e) {
      Status st = e.getStatus();
      System.err.println(
          "LoadGen: cannot reach "
              + o.endpoints()
              + ": "
              + st.getCode()
              + " "
              + st.getDescription());
      System.exit(1);
      return;
    }
    System.out.println(o.json() ? r.json() : r.text());
    if (r.errors() > 0) {
      System.err.println("LoadGen errors by status: " + r.errorSummary());
    }
  }

  /** How long to wait for requests still in flight at the end, and for connecting. */
  private static int graceSeconds(LoadOptions o) {
    return Math.max(o.timeoutSeconds(), 10) + 5;
  }

  private static ManagedChannel channel(LoadOptions.Endpoint e) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(e.host(), e.port());
    String caCert = System.getProperty(TLS_CACERT, "");
    if (caCert.isEmpty()) {
      builder.usePlaintext();
    } else {
      builder.sslContext(clientTls(caCert));
    }
    return builder.directExecutor().build();
  }

  /**
   * With this system property (a CA file), every connection is TLS, verified against that CA, with
   * the client certificate of {@value #TLS_CERT}/{@value #TLS_KEY} when given (PKCS#8 key), as
   * etcdctl's {@code --cacert --cert --key}: how bin/bench-compare --tls runs.
   */
  static final String TLS_CACERT = "pekkoetcd.bench.cacert";

  static final String TLS_CERT = "pekkoetcd.bench.cert";
  static final String TLS_KEY = "pekkoetcd.bench.key";

  private static io.netty.handler.ssl.SslContext clientTls(String caCert) {
    try {
      io.netty.handler.ssl.SslContextBuilder b =
          io.grpc.netty.GrpcSslContexts.forClient().trustManager(new java.io.File(caCert));
      String cert = System.getProperty(TLS_CERT, "");
      if (!cert.isEmpty()) {
        b.keyManager(new java.io.File(cert), new java.io.File(System.getProperty(TLS_KEY)));
      }
      return b.build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalArgumentException("cannot set up TLS from " + caCert + ": " + e, e);
    }
  }

  /** The endpoint whose member reports itself as the leader (Maintenance/Status). */
  static LoadOptions.Endpoint leader(LoadOptions o) throws InterruptedException {
    for (LoadOptions.Endpoint e : o.endpoints()) {
      ManagedChannel c = channel(e);
      try {
        StatusResponse s =
            (StatusResponse)
                ClientCalls.blockingUnaryCall(
                    c,
                    EtcdCalls.STATUS,
                    CallOptions.DEFAULT.withDeadlineAfter(graceSeconds(o), TimeUnit.SECONDS),
                    StatusRequest.getDefaultInstance());
        if (s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
          return e;
        }
      } catch (StatusRuntimeException ignored) {
        // that member is down or unreachable: ask the next
      } finally {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    throw new StatusRuntimeException(
        Status.UNAVAILABLE.withDescription("no endpoint reports itself as the leader"));
  }

  static Result run(LoadOptions o) throws InterruptedException {
    List<LoadOptions.Endpoint> endpoints = o.targetLeader() ? List.of(leader(o)) : o.endpoints();
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int i = 0; i < o.conns(); i++) {
        channels.add(channel(endpoints.get(i % endpoints.size())));
      }
      for (ManagedChannel c : channels) {
        // Connect before the clock starts; a failure here (no server) fails the run.
        ClientCalls.blockingUnaryCall(
            c,
            EtcdCalls.RANGE,
            CallOptions.DEFAULT.withDeadlineAfter(graceSeconds(o), TimeUnit.SECONDS),
            RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("x")).build());
      }
      Workload workload = Workload.of(o);
      if (o.warmupSeconds() > 0) {
        // Not measured: the generator's own JIT compiles the request path first.
        phase(channels, workload, o, o.warmupSeconds(), Long.MAX_VALUE);
      }
      ServerUsage before = ServerUsage.sample(o.pids());
      long clientBefore = ServerUsage.cpuTicks(ProcessHandle.current().pid());
      Phase p = phase(channels, workload, o, o.seconds(), o.total());
      ServerUsage after = ServerUsage.sample(o.pids());
      long clientTicks = ServerUsage.cpuTicks(ProcessHandle.current().pid()) - clientBefore;
      Histogram h = p.latencies();
      return new Result(
          o,
          endpoints,
          h.getTotalCount(),
          p.errors().total(),
          p.errors().summary(),
          p.seconds(),
          h,
          before,
          after,
          clientTicks);
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
      for (ManagedChannel c : channels) {
        c.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
