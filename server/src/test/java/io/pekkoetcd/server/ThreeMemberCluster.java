package io.pekkoetcd.server;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.StatusResponse;
import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import io.pekkoetcd.testkit.cluster.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Three real members (WAL, MVCC store, client port, peer transport) in the test's JVM, each in its
 * own actor system with its own data dir and loopback ports, configured through etcd's flags with
 * short Raft timings (heartbeat 50 ms, election timeout 500 ms, so the request timeout is 6 s).
 * Members can be stopped and restarted from their data dirs.
 */
final class ThreeMemberCluster implements AutoCloseable {
  static final int SIZE = 3;

  private final Path dir;
  private final int[] client = new int[SIZE];
  private final int[] peer = new int[SIZE];
  private final MemberRunner.Running[] running = new MemberRunner.Running[SIZE];

  /** More of etcd's flags, given to every member. */
  private final List<String> extraFlags;

  private ThreeMemberCluster(Path dir, List<String> extraFlags) throws Exception {
    this.dir = dir;
    this.extraFlags = extraFlags;
    for (int i = 0; i < SIZE; i++) {
      client[i] = InProcessMember.freePort();
      peer[i] = InProcessMember.freePort();
    }
  }

  static ThreeMemberCluster start(Path dir) throws Exception {
    return start(dir, List.of());
  }

  /**
   * As {@link #start(Path)}, every member with {@code extraFlags} too (e.g. a small
   * --snapshot-count).
   */
  static ThreeMemberCluster start(Path dir, List<String> extraFlags) throws Exception {
    ThreeMemberCluster c = new ThreeMemberCluster(dir, extraFlags);
    List<java.util.concurrent.CompletableFuture<MemberRunner.Running>> starting = new ArrayList<>();
    for (int i = 0; i < SIZE; i++) {
      starting.add(c.startAsync(i));
    }
    for (int i = 0; i < SIZE; i++) {
      c.running[i] = starting.get(i).get(60, TimeUnit.SECONDS);
    }
    return c;
  }

  private java.util.concurrent.CompletableFuture<MemberRunner.Running> startAsync(int i)
      throws Exception {
    return startAsync(i, List.of());
  }

  private java.util.concurrent.CompletableFuture<MemberRunner.Running> startAsync(
      int i, List<String> moreFlags) throws Exception {
    List<String> flags = flags(i);
    flags.addAll(moreFlags);
    ParseResult.Run run =
        (ParseResult.Run) EtcdConfigParser.parse(flags.toArray(String[]::new), Map.of());
    var member = MemberRunner.memberConfig(run.config());
    var peerBind = run.config().peerHostPort();
    return MemberRunner.run(
            member,
            MemberRunner.systemConfig(member, peerBind.host(), peerBind.port()),
            "127.0.0.1",
            client[i])
        .toCompletableFuture();
  }

  List<String> flags(int i) {
    StringBuilder cluster = new StringBuilder();
    for (int j = 0; j < SIZE; j++) {
      cluster
          .append(j == 0 ? "" : ",")
          .append(name(j))
          .append("=http://127.0.0.1:")
          .append(peer[j]);
    }
    List<String> flags =
        memberFlags(name(i), dir.resolve(name(i)), client[i], peer[i], cluster.toString());
    flags.addAll(extraFlags);
    return flags;
  }

  /**
   * etcd's flags for a member on 127.0.0.1 with the given ports, in {@code initialCluster}, with
   * short Raft timings (heartbeat 50 ms, election timeout 500 ms).
   */
  static List<String> memberFlags(
      String name, Path dataDir, int client, int peer, String initialCluster) {
    String clientUrl = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    return new ArrayList<>(
        List.of(
            "--name",
            name,
            "--data-dir",
            dataDir.toString(),
            "--listen-client-urls",
            clientUrl,
            "--advertise-client-urls",
            clientUrl,
            "--listen-peer-urls",
            peerUrl,
            "--initial-advertise-peer-urls",
            peerUrl,
            "--initial-cluster",
            initialCluster,
            "--heartbeat-interval",
            "50",
            "--election-timeout",
            "500"));
  }

  static String name(int i) {
    return "m" + i;
  }

  EtcdMember member(int i) {
    return running[i].member();
  }

  boolean isRunning(int i) {
    return running[i] != null;
  }

  int clientPort(int i) {
    return client[i];
  }

  String endpoint(int i) {
    return "http://127.0.0.1:" + client[i];
  }

  void stop(int i) throws Exception {
    running[i].stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    running[i] = null;
  }

  void restart(int i) throws Exception {
    running[i] = startAsync(i).get(60, TimeUnit.SECONDS);
  }

  /** Restart member {@code i} with {@code moreFlags} besides the cluster's (this start only). */
  void restart(int i, List<String> moreFlags) throws Exception {
    running[i] = startAsync(i, moreFlags).get(60, TimeUnit.SECONDS);
  }

  StatusResponse status(int i) throws Exception {
    return member(i).status().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Member {@code i}'s Status errors (its active alarms), or why they could not be read. */
  List<String> statusErrors(int i) {
    try {
      return status(i).getErrorsList();
    } catch (Exception e) {
      return List.of(e.toString());
    }
  }

  /**
   * Waits until every running member names the same leader, which is one of them and the only one
   * calling itself leader; returns its index.
   */
  int awaitLeader(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int agreed = agreedLeader();
      if (agreed >= 0) {
        return agreed;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < SIZE; i++) {
          if (isRunning(i)) {
            StatusResponse st = status(i);
            s.append(name(i))
                .append(": leader=")
                .append(Long.toHexString(st.getLeader()))
                .append(" term=")
                .append(st.getRaftTerm())
                .append("; ");
          }
        }
        throw new AssertionError("no agreed leader within " + timeout + ": " + s);
      }
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(
          20); // polling interval, not synchronisation: the loop checks the condition
    }
  }

  private int agreedLeader() throws Exception {
    long leader = -1;
    int leaderIndex = -1;
    for (int i = 0; i < SIZE; i++) {
      if (!isRunning(i)) {
        continue;
      }
      StatusResponse st = status(i);
      if (st.getLeader() == 0 || (leader != -1 && leader != st.getLeader())) {
        return -1;
      }
      leader = st.getLeader();
      if (st.getHeader().getMemberId() == leader) {
        leaderIndex = i;
      }
    }
    return leaderIndex;
  }

  static void await(Duration timeout, String what, BooleanSupplier condition) throws Exception {
    // in-process checks cost nothing: poll often
    Poll.until(timeout, Duration.ofMillis(20), () -> what, condition::getAsBoolean);
  }

  @Override
  public void close() throws Exception {
    for (int i = 0; i < SIZE; i++) {
      if (running[i] != null) {
        try {
          stop(i);
        } catch (Exception e) {
          // best effort: the others must still stop
        }
      }
    }
  }
}
