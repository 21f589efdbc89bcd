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
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A load generator shaped like etcd's {@code tools/benchmark} and built so that it is not the
 * bottleneck: plain grpc-java, one {@link ManagedChannel} (one HTTP/2 connection) per {@code
 * --conns}, {@code --clients} {@link ClientLoop}s, each sending its next request from the previous
 * one's response callback, on the next connection (round robin, as etcd 3.4's clientv3 balancer
 * picks an endpoint per call; client {@code j} starts at connection {@code j}). No thread per
 * client and no blocking; callbacks run on the transport's event loop ({@code directExecutor}).
 * Connection {@code i} goes to endpoint {@code i % endpoints}.
 *
 * <p>Prints one line per run (or one JSON object with {@code --json}): workload, conns, clients,
 * requests (successful), errors, requests/s, latency p50/p90/p99/p99.9/max in ms (HdrHistogram,
 * three significant digits), and with {@code --pids} the servers' CPU milliseconds per request and
 * resident memory after the run, both summed over the pids. Error counts by gRPC status go to
 * stderr. Before the clock starts every connection makes one range request, so connection set-up is
 * not measured; with {@code --warmup S} the clients first send S seconds of unmeasured load, so
 * that the generator's own JIT is warm. With {@code --target-leader} every connection goes to the
 * leader, with {@code --target-follower} to one follower (the two halves of a round-robin run at
 * one client on three members: a follower's requests cross the peers twice more). A server that
 * cannot be reached fails the run (exit status 1). Requests carry no deadline unless {@code
 * --timeout} gives one, but every run is bounded: it waits at most a grace period (the timeout, at
 * least 10 s, plus 5 s) past its end for requests still in flight. With {@code --put-rate R} the
 * clients offer R requests a second in all ({@link Pacer}) instead of going as fast as they can.
 *
 * <p>{@code watch} is etcd's watch fan-out: before the clock, {@code --watchers} watchers on a
 * fresh key prefix over {@code --watch-streams} Watch streams ({@link WatchStreams}), all created;
 * then the clients put under that prefix ({@link Workload.StampedPut}), and after the puts LoadGen
 * waits (at most {@value #DELIVERY_WAIT_SECONDS} s) until every watcher has every event. The line
 * adds events received and expected (puts × watchers), events/s delivered, delivery latency
 * percentiles and, with {@code --pids}, the servers' CPU per event, measured up to the end of that
 * wait. {@code lease-keepalive} is etcd's {@code benchmark lease-keepalive}: each client grants
 * itself a lease (TTL 100 s, not measured) and sends keep-alives on its own stream ({@link
 * KeepAliveLoop}); it reports like {@code put}.
 *
 * <pre>java -cp bench/target/pekko-etcd-bench.jar:bench/target/lib/* io.pekkoetcd.bench.LoadGen put
 *     --endpoints http://127.0.0.1:2379 --conns 10 --clients 100 --seconds 10 \
 *     --key-space-size 100000 --sequential-keys --pids 1234</pre>
 */
public final class LoadGen {
  private LoadGen() {}

  /** Latencies above this are recorded as this (no run is that long). */
  static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(600);

  /** How long {@code watch} waits after the puts for every watcher to have every event. */
  static final int DELIVERY_WAIT_SECONDS = 10;

  private record Phase(Histogram latencies, Errors errors, double seconds, long startNanos) {}

  /** Starts client {@code j} of a phase over {@code channels}: a {@link ClientLoop} or such. */
  @FunctionalInterface
  private interface Clients {
    void start(int j, List<ManagedChannel> channels, Budget budget);
  }

  /**
   * Runs every client loop until {@code seconds} pass (0: until 600 s) or {@code total} requests
   * have been sent, and waits for them; bounded by the deadline plus the grace period.
   */
  private static Phase phase(
      List<ManagedChannel> channels, Clients clients, LoadOptions o, int seconds, long total)
      throws InterruptedException {
    Recorder latencies = new Recorder(1, MAX_LATENCY_NANOS, 3);
    Errors errors = new Errors();
    CountDownLatch done = new CountDownLatch(o.clients());
    ScheduledExecutorService timer =
        o.putRate() == 0
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "loadgen-pacer");
                  t.setDaemon(true);
                  return t;
                });
    try {
      long start = System.nanoTime();
      long deadline = start + TimeUnit.SECONDS.toNanos(seconds > 0 ? seconds : 600);
      Budget budget =
          new Budget(
              new AtomicLong(),
              total,
              deadline,
              TimeUnit.SECONDS.toNanos(o.timeoutSeconds()),
              timer == null ? Pacer.NONE : new Pacer(start, o.putRate(), timer),
              latencies,
              errors,
              done);
      for (int j = 0; j < o.clients(); j++) {
        clients.start(j, channels, budget);
      }
      // A request without a deadline may never end: the run is bounded all the same.
      long bound = deadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds(o));
      if (!done.await(bound, TimeUnit.NANOSECONDS)) {
        System.err.println("LoadGen: " + done.getCount() + " clients did not finish in time");
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      return new Phase(latencies.getIntervalHistogram(), errors, elapsed, start);
    } finally {
      if (timer != null) {
        timer.shutdownNow();
      }
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
    RunResult r;
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

  /**
   * The first endpoint whose member reports itself (Maintenance/Status) in the role {@code target}
   * asks for: the leader, or a follower (a member that knows a leader and is not it).
   */
  static LoadOptions.Endpoint member(LoadOptions o, LoadOptions.Target target)
      throws InterruptedException {
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
        if (inRole(s, target)) {
          return e;
        }
      } catch (StatusRuntimeException ignored) {
        // that member is down or unreachable: ask the next
      } finally {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    throw new StatusRuntimeException(
        Status.UNAVAILABLE.withDescription(
            "no endpoint reports itself as the " + target.name().toLowerCase(Locale.ROOT)));
  }

  /** Whether a member's Status says it is in {@code target}'s role (neither, without a leader). */
  static boolean inRole(StatusResponse s, LoadOptions.Target target) {
    boolean hasLeader = s.getLeader() != 0;
    boolean isLeader = hasLeader && s.getLeader() == s.getHeader().getMemberId();
    return switch (target) {
      case LEADER -> isLeader;
      case FOLLOWER -> hasLeader && !isLeader;
      case ALL -> true;
    };
  }

  static RunResult run(LoadOptions o) throws InterruptedException {
    List<LoadOptions.Endpoint> endpoints =
        o.target() == LoadOptions.Target.ALL ? o.endpoints() : List.of(member(o, o.target()));
    List<ManagedChannel> channels = new ArrayList<>();
    WatchStreams watch = null;
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
      Workload workload = o.workload().equals("lease-keepalive") ? null : Workload.of(o);
      Clients clients;
      if (workload == null) {
        long[] leases =
            KeepAliveLoop.grantLeases(
                channels, o.clients(), TimeUnit.SECONDS.toNanos(graceSeconds(o)));
        // A keep-alive stream stays on one connection: its lease's.
        clients =
            (j, all, budget) ->
                new KeepAliveLoop(all.get(j % all.size()), leases[j], budget).start();
      } else {
        clients = (j, all, budget) -> new ClientLoop(all, j, workload, budget).start();
      }
      if (o.warmupSeconds() > 0) {
        // Not measured: the generator's own JIT compiles the request path first.
        phase(channels, clients, o, o.warmupSeconds(), Long.MAX_VALUE);
      }
      // The watchers come after the warm-up, so that they see the measured puts only.
      watch =
          workload instanceof Workload.StampedPut put
              ? WatchStreams.open(
                  channels,
                  put.prefix(),
                  o.watchers(),
                  o.watchStreams(),
                  TimeUnit.SECONDS.toNanos(graceSeconds(o)))
              : null;
      ServerUsage before = ServerUsage.sample(o.pids());
      long clientBefore = ServerUsage.cpuTicks(ProcessHandle.current().pid());
      Phase p = phase(channels, clients, o, o.seconds(), o.total());
      Histogram h = p.latencies();
      Delivery delivery =
          watch == null
              ? null
              : watch.awaitDelivery(
                  h.getTotalCount(),
                  p.startNanos(),
                  TimeUnit.SECONDS.toNanos(DELIVERY_WAIT_SECONDS));
      ServerUsage after = ServerUsage.sample(o.pids());
      long clientTicks = ServerUsage.cpuTicks(ProcessHandle.current().pid()) - clientBefore;
      Map<String, String> errorSummary = new TreeMap<>(p.errors().summary());
      if (watch != null) {
        watch.errors().summary().forEach((code, n) -> errorSummary.put("watch " + code, n));
      }
      return new RunResult(
          o,
          endpoints,
          h.getTotalCount(),
          p.errors().total() + (watch == null ? 0 : watch.errors().total()),
          errorSummary,
          p.seconds(),
          h,
          before,
          after,
          clientTicks,
          delivery);
    } finally {
      if (watch != null) {
        watch.close();
      }
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
      for (ManagedChannel c : channels) {
        c.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
