package io.pekkoetcd.multijvm.harness;

import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.process.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * N members, each its own JVM from the real distribution on its own loopback address (127.0.0.2,
 * 127.0.0.3, …), started as a new cluster with short Raft timing. Data and logs live in {@code
 * multi-jvm-tests/target/multi-jvm/<scenario>/} and are kept after the run. {@link #close} stops
 * every process this cluster started (also if the test JVM is ended: a shutdown hook kills them).
 */
public final class MemberCluster implements AutoCloseable {
  /** Raft timing for every member: short, so that failover takes about a second. */
  public static final int HEARTBEAT_MS = 100;

  public static final int ELECTION_TIMEOUT_MS = 1000;

  private final Path repositoryRoot;
  private final Path dir;
  private final List<MemberProcess> members = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Thread killOnExit;

  private MemberCluster(Path repositoryRoot, Path dir) {
    this.repositoryRoot = repositoryRoot;
    this.dir = dir;
    this.killOnExit = new Thread(this::killAll, "multi-jvm-kill-members");
  }

  /**
   * Starts {@code size} members for {@code scenario} with {@code environment} (e.g. a failpoint)
   * and waits until each is healthy.
   */
  public static MemberCluster start(String scenario, int size, Map<String, String> environment)
      throws Exception {
    Path root = repositoryRoot();
    Path jar = root.resolve("server/target/pekko-etcd-server.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: the server module's `package` builds it before these tests run");
    }
    Path dir = root.resolve("multi-jvm-tests/target/multi-jvm").resolve(scenario);
    deleteRecursively(dir);
    Files.createDirectories(dir);
    MemberCluster c = new MemberCluster(root, dir);
    Runtime.getRuntime().addShutdownHook(c.killOnExit);
    List<MemberProcess.Spec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      specs.add(
          new MemberProcess.Spec(
              "m" + (i + 1), "127.0.0." + (i + 2), Ports.freePort(), Ports.freePort(), List.of()));
    }
    String initialCluster =
        specs.stream().map(s -> s.name() + "=" + s.peerUrl()).collect(Collectors.joining(","));
    for (MemberProcess.Spec s : specs) {
      List<String> flags =
          List.of(
              "--name", s.name(),
              "--listen-client-urls", s.clientUrl(),
              "--advertise-client-urls", s.clientUrl(),
              "--listen-peer-urls", s.peerUrl(),
              "--initial-advertise-peer-urls", s.peerUrl(),
              "--initial-cluster", initialCluster,
              "--initial-cluster-state", "new",
              "--initial-cluster-token", "multi-jvm-" + scenario,
              "--heartbeat-interval", Integer.toString(HEARTBEAT_MS),
              "--election-timeout", Integer.toString(ELECTION_TIMEOUT_MS));
      MemberProcess m =
          new MemberProcess(
              new MemberProcess.Spec(s.name(), s.address(), s.clientPort(), s.peerPort(), flags),
              dir.resolve(s.name() + ".log"),
              environment);
      c.members.add(m);
      c.channels.add(
          io.grpc.netty.NettyChannelBuilder.forAddress(s.address(), s.clientPort())
              .usePlaintext()
              .build());
    }
    try {
      for (int i = 0; i < size; i++) {
        c.start(i);
      }
      c.awaitHealthy(Duration.ofSeconds(90));
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("bin/pekko-etcd"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no bin/pekko-etcd above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  public int size() {
    return members.size();
  }

  public MemberProcess member(int i) {
    return members.get(i);
  }

  public String address(int i) {
    return members.get(i).spec().address();
  }

  /** The addresses of the members {@code indexes}. */
  public List<String> addresses(List<Integer> indexes) {
    return indexes.stream().map(this::address).toList();
  }

  /** The addresses of every member but {@code i}. */
  public List<String> addressesExcept(int i) {
    List<String> out = new ArrayList<>();
    for (int m = 0; m < size(); m++) {
      if (m != i) {
        out.add(address(m));
      }
    }
    return out;
  }

  /** A channel to member {@code i}'s client port, owned by the cluster. */
  public ManagedChannel channel(int i) {
    return channels.get(i);
  }

  public Path directory() {
    return dir;
  }

  /** Starts member {@code i}'s JVM on its data directory (first start, or restart). */
  public void start(int i) throws Exception {
    members.get(i).start(repositoryRoot, dir.resolve(members.get(i).name() + ".etcd"));
  }

  /** Polls until every member's {@code /health} answers 200. */
  public void awaitHealthy(Duration timeout) throws Exception {
    Poll.until(
        timeout,
        () -> "every member healthy; see the logs in " + dir,
        () -> members.stream().allMatch(MemberProcess::healthy));
  }

  /** Member {@code i}'s Status, if it answers within a second. */
  public Optional<StatusResponse> status(int i) {
    try {
      return Optional.of(
          MaintenanceGrpc.newBlockingStub(channels.get(i))
              .withDeadlineAfter(1, TimeUnit.SECONDS)
              .status(StatusRequest.getDefaultInstance()));
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  /** The member that says it leads, among those that answer; empty if none does. */
  public Optional<Integer> leader() {
    for (int i = 0; i < size(); i++) {
      Optional<StatusResponse> s = members.get(i).isPaused() ? Optional.empty() : status(i);
      if (s.isPresent() && s.get().getLeader() == s.get().getHeader().getMemberId()) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** Polls until some member leads; returns it. */
  public int awaitLeader(Duration timeout) throws Exception {
    AtomicReference<Integer> leader = new AtomicReference<>();
    Poll.until(
        timeout,
        "a leader",
        () -> {
          leader.set(leader().orElse(null));
          return leader.get() != null;
        });
    return leader.get();
  }

  /**
   * Polls until every member reports the same HashKV at the same revision (all have applied the
   * same history); returns that revision.
   */
  public long awaitConverged(Duration timeout) throws Exception {
    AtomicReference<List<String>> seen = new AtomicReference<>(List.of());
    Poll.until(
        timeout,
        () -> "every member at the same revision with the same HashKV; last seen " + seen.get(),
        () -> {
          List<String> hashes = new ArrayList<>();
          for (int i = 0; i < size(); i++) {
            try {
              HashKVResponse h =
                  MaintenanceGrpc.newBlockingStub(channels.get(i))
                      .withDeadlineAfter(2, TimeUnit.SECONDS)
                      .hashKV(HashKVRequest.getDefaultInstance());
              hashes.add(h.getHeader().getRevision() + ":" + Integer.toUnsignedString(h.getHash()));
            } catch (StatusRuntimeException e) {
              hashes.add(members.get(i).name() + " " + e.getStatus().getCode());
            }
          }
          seen.set(hashes);
          return hashes.stream().distinct().count() == 1 && !hashes.get(0).contains(" ");
        });
    return Long.parseLong(seen.get().get(0).split(":")[0]);
  }

  /** Stops every member (resuming paused ones first) and closes the channels. */
  @Override
  public void close() throws Exception {
    Exception first = null;
    for (MemberProcess m : members) {
      try {
        m.stop();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    if (first != null) {
      throw first;
    }
  }

  private void killAll() {
    for (MemberProcess m : members) {
      try {
        m.kill9();
      } catch (InterruptedException | RuntimeException e) {
        // best effort while the JVM exits
      }
    }
  }

  private static void deleteRecursively(Path p) throws java.io.IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
