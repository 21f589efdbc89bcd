package io.pekkoetcd.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link LoadGen}'s command line, shaped like etcd's {@code tools/benchmark}: a workload name
 * ({@code put}, {@code range}, {@code txn-put}, {@code watch}, {@code lease-keepalive}) and flags.
 * A run is bounded by {@code --total} requests or by {@code --seconds} (at most 600), never by
 * neither: without {@code --seconds} it sends {@code --total} (default 10,000) requests.
 *
 * @param endpoints host:port pairs; connection {@code i} goes to endpoint {@code i % size}
 * @param conns gRPC channels (each its own HTTP/2 connection)
 * @param clients request loops, each with one request in flight; loop {@code j} uses connection
 *     {@code j % conns}
 * @param total requests to send in all (ignored when {@code seconds > 0})
 * @param seconds how long to send; 0 means "until {@code total}"
 * @param keySpaceSize keys are numbers in {@code [0, keySpaceSize)}, written as varints into {@code
 *     keySize} bytes
 * @param sequentialKeys the n-th request uses key {@code n % keySpaceSize}; else a random key
 * @param serializable {@code range --consistency s}: served by any member without a read index
 * @param txnOps puts per transaction for {@code txn-put}
 * @param timeoutSeconds deadline of each request; 0 (the default, as etcd's benchmark) for none
 * @param warmupSeconds load sent first and not measured (the generator's own JIT warm-up)
 * @param target which endpoints the connections go to: all of them, round-robin (the default); the
 *     one whose member is the leader ({@code --target-leader}, as etcd's benchmark); or the first
 *     whose member is a follower ({@code --target-follower}), both asked with Maintenance/Status
 *     before the run
 * @param pids server processes whose CPU time and RSS are reported (summed)
 * @param watchers {@code watch}: watchers on the run's key prefix
 * @param watchStreams {@code watch}: Watch streams the watchers are spread over (stream {@code i}
 *     on connection {@code i % conns}), at most {@code watchers}
 * @param putRate requests (for {@code watch}: puts) a second over all clients, offered at that rate
 *     ({@link Pacer}); 0 (the default) for as fast as the clients go. Not for {@code
 *     lease-keepalive}
 */
record LoadOptions(
    String workload,
    List<Endpoint> endpoints,
    int conns,
    int clients,
    long total,
    int seconds,
    int keySize,
    int valSize,
    int keySpaceSize,
    boolean sequentialKeys,
    boolean serializable,
    int txnOps,
    int timeoutSeconds,
    int warmupSeconds,
    Target target,
    List<Long> pids,
    String label,
    boolean json,
    int watchers,
    int watchStreams,
    int putRate) {

  /** Which of the given endpoints a run sends to. */
  enum Target {
    ALL,
    LEADER,
    FOLLOWER
  }

  static final List<String> WORKLOADS =
      List.of("put", "range", "txn-put", "watch", "lease-keepalive");

  /** One server address; parsed from {@code http://host:port}, {@code host:port}. */
  record Endpoint(String host, int port) {
    static Endpoint parse(String url) {
      String s = url.trim().replaceFirst("^[a-z]+://", "");
      int slash = s.indexOf('/');
      if (slash >= 0) {
        s = s.substring(0, slash);
      }
      int colon = s.lastIndexOf(':');
      if (colon < 0) {
        return new Endpoint(s, 2379);
      }
      return new Endpoint(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  static final String USAGE =
      "usage: LoadGen put|range|txn-put|watch|lease-keepalive [--endpoints URL,...] [--conns N] [--clients M]"
          + " [--total N | --seconds S] [--key-size 8] [--val-size 256] [--key-space-size 1]"
          + " [--sequential-keys] [--consistency l|s] [--txn-ops 1] [--timeout 0]"
          + " [--warmup 0] [--target-leader] [--pids PID,...] [--label TEXT] [--json]"
          + " [--put-rate 0] [--watchers 100] [--watch-streams 10]";

  static LoadOptions parse(String[] args) {
    String workload = null;
    String endpoints = "http://127.0.0.1:2379";
    int conns = 1;
    int clients = 1;
    long total = 10_000;
    int seconds = 0;
    int keySize = 8;
    int valSize = 256;
    int keySpaceSize = 1;
    boolean sequential = false;
    String consistency = "l";
    int txnOps = 1;
    int timeout = 0;
    int warmup = 0;
    Target target = Target.ALL;
    List<Long> pids = new ArrayList<>();
    String label = "";
    boolean json = false;
    int watchers = 100;
    int watchStreams = 10;
    int putRate = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        if (workload != null) {
          throw new IllegalArgumentException("one workload, got " + workload + " and " + a);
        }
        workload = a;
        continue;
      }
      switch (a) {
        case "--sequential-keys" -> sequential = true;
        case "--json" -> json = true;
        case "--target-leader", "--target-follower" -> {
          if (target != Target.ALL) {
            throw new IllegalArgumentException("one of --target-leader and --target-follower");
          }
          target = a.equals("--target-leader") ? Target.LEADER : Target.FOLLOWER;
        }
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a value");
          }
          String v = args[++i];
          switch (a) {
            case "--endpoints" -> endpoints = v;
            case "--conns" -> conns = Integer.parseInt(v);
            case "--clients" -> clients = Integer.parseInt(v);
            case "--total" -> total = Long.parseLong(v);
            case "--seconds" -> seconds = Integer.parseInt(v);
            case "--key-size" -> keySize = Integer.parseInt(v);
            case "--val-size" -> valSize = Integer.parseInt(v);
            case "--key-space-size" -> keySpaceSize = Integer.parseInt(v);
            case "--consistency" -> consistency = v;
            case "--txn-ops" -> txnOps = Integer.parseInt(v);
            case "--timeout" -> timeout = Integer.parseInt(v);
            case "--warmup" -> warmup = Integer.parseInt(v);
            case "--pids" -> {
              for (String p : v.split("[, ]+")) {
                if (!p.isBlank()) {
                  pids.add(Long.parseLong(p.trim()));
                }
              }
            }
            case "--label" -> label = v;
            case "--watchers" -> watchers = Integer.parseInt(v);
            case "--watch-streams" -> watchStreams = Integer.parseInt(v);
            case "--put-rate" -> putRate = Integer.parseInt(v);
            default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
          }
        }
      }
    }
    if (workload == null) {
      workload = "put";
    }
    if (!WORKLOADS.contains(workload)) {
      throw new IllegalArgumentException("unknown workload " + workload + "\n" + USAGE);
    }
    if (!consistency.equals("l") && !consistency.equals("s")) {
      throw new IllegalArgumentException("--consistency is l (linearizable) or s (serializable)");
    }
    List<Endpoint> eps = new ArrayList<>();
    for (String e : endpoints.split(",")) {
      if (!e.isBlank()) {
        eps.add(Endpoint.parse(e));
      }
    }
    if (eps.isEmpty()
        || conns < 1
        || clients < 1
        || clients > 10_000
        || total < 1
        || seconds < 0
        || seconds > 600
        || keySize < 1
        || valSize < 0
        || keySpaceSize < 1
        || txnOps < 1
        || timeout < 0
        || warmup < 0
        || warmup > 60
        || watchers < 1
        || watchers > 100_000
        || watchStreams < 1
        || watchStreams > watchers
        || putRate < 0) {
      throw new IllegalArgumentException(
          "need endpoints, conns >= 1, 1 <= clients <= 10000, total >= 1, 0 <= seconds <= 600,"
              + " key-size >= 1, val-size >= 0, key-space-size >= 1, txn-ops >= 1, timeout >= 0,"
              + " 0 <= warmup <= 60, 1 <= watchers <= 100000, 1 <= watch-streams <= watchers,"
              + " put-rate >= 0");
    }
    if (workload.equals("watch") && valSize < 8) {
      throw new IllegalArgumentException("watch needs --val-size >= 8 (the send time stamp)");
    }
    if (workload.equals("lease-keepalive") && putRate > 0) {
      throw new IllegalArgumentException("lease-keepalive is not paced (no --put-rate)");
    }
    return new LoadOptions(
        workload,
        List.copyOf(eps),
        conns,
        clients,
        seconds > 0 ? Long.MAX_VALUE : total,
        seconds,
        keySize,
        valSize,
        keySpaceSize,
        sequential,
        consistency.equals("s"),
        txnOps,
        timeout,
        warmup,
        target,
        List.copyOf(pids),
        label,
        json,
        watchers,
        watchStreams,
        putRate);
  }
}
