package io.pekkoetcd.testkit.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.stream.IntStream;

/**
 * The distribution as a user runs it: {@code deploy/local-cluster.sh} (which runs {@code
 * bin/pekko-etcd}, which runs {@code server/target/pekko-etcd-server.jar}) with three members on
 * free loopback ports and their data, logs and pid files in a test directory, and etcdctl to look
 * at them. Only for tests tagged {@code distribution}, which Maven runs after {@code package}
 * (server/pom.xml). {@link #close} stops every member the script started.
 */
public final class LocalCluster implements AutoCloseable {
  public static final List<String> NAMES = List.of("infra1", "infra2", "infra3");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "local-cluster-test";

  private final Path script;
  private final Path dir;
  private final List<Integer> clientPorts = new ArrayList<>();
  private final List<Integer> peerPorts = new ArrayList<>();

  /**
   * etcdctl's {@code endpoint status -w json} for one member; IDs as etcdctl prints them (unsigned
   * decimal).
   */
  public record Status(
      String endpoint,
      String memberId,
      String leader,
      long raftTerm,
      long raftIndex,
      long revision) {
    public boolean isLeader() {
      return !memberId.isEmpty() && memberId.equals(leader);
    }
  }

  /** etcdctl's {@code endpoint hashkv -w json} for one member. */
  public record HashKv(String endpoint, long revision, long hash) {}

  public LocalCluster(Path dir) throws IOException {
    this.script = repositoryRoot().resolve("deploy/local-cluster.sh");
    this.dir = dir;
    for (int i = 0; i < NAMES.size(); i++) {
      clientPorts.add(Ports.freePort());
      peerPorts.add(Ports.freePort());
    }
  }

  /** The repository root: the test runs in the server module's directory. */
  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("deploy/local-cluster.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "no deploy/local-cluster.sh above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** {@code local-cluster.sh start}: starts every member that is not running. */
  public String start() throws Exception {
    return script("start");
  }

  /** {@link #start}, then poll until every member is healthy. */
  public void startHealthy(Duration timeout) throws Exception {
    start();
    for (int i = 0; i < NAMES.size(); i++) {
      int member = i;
      Poll.until(timeout, NAMES.get(i) + " healthy", () -> healthy(member));
    }
  }

  /**
   * Polls {@code endpoint status --cluster} (through member 0) until all three agree on one leader,
   * one Raft term and one Raft index (so: writes have stopped and every member has them); returns
   * that status.
   */
  public List<Status> awaitSettled(Duration timeout) throws Exception {
    AtomicReference<List<Status>> seen = new AtomicReference<>();
    Poll.until(
        timeout,
        () -> "one leader, the same raft term and index on all three; last seen " + seen.get(),
        () -> {
          List<Status> all = clusterStatus(0);
          seen.set(all);
          return all.size() == NAMES.size()
              && all.stream().filter(Status::isLeader).count() == 1
              && all.stream().map(Status::leader).distinct().count() == 1
              && all.stream().map(Status::raftTerm).distinct().count() == 1
              && all.stream().map(Status::raftIndex).distinct().count() == 1;
        });
    return seen.get();
  }

  /** {@code local-cluster.sh stop [names]}: SIGTERM, then SIGKILL after 10 s. */
  public String stop(String... names) throws Exception {
    List<String> args = new ArrayList<>(List.of("stop"));
    args.addAll(List.of(names));
    return script(args.toArray(String[]::new));
  }

  /**
   * {@code local-cluster.sh run name} as a child process (the member in the foreground), output to
   * {@code log}.
   */
  public Process run(String name, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(script.toString(), "run", name)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    environment(pb.environment());
    return pb.start();
  }

  /**
   * The flags of {@code bin/pekko-etcdutl snapshot restore} that make member {@code i}'s data dir
   * for this cluster (what {@code local-cluster.sh} gives the member).
   */
  public List<String> restoreFlags(int i) {
    String name = NAMES.get(i);
    List<String> cluster = new ArrayList<>();
    for (int j = 0; j < NAMES.size(); j++) {
      cluster.add(NAMES.get(j) + "=http://127.0.0.1:" + peerPorts.get(j));
    }
    return List.of(
        "--name",
        name,
        "--data-dir",
        dataDir(name).toString(),
        "--initial-advertise-peer-urls",
        "http://127.0.0.1:" + peerPorts.get(i),
        "--initial-cluster",
        String.join(",", cluster),
        "--initial-cluster-token",
        TOKEN);
  }

  /** Runs the distribution's {@code bin/pekko-etcdutl} with {@code args} (60 s at most). */
  public Etcdctl.Result etcdutl(String... args) throws Exception {
    return run(script.getParent().resolveSibling("bin/pekko-etcdutl"), args);
  }

  private String script(String... args) throws Exception {
    Etcdctl.Result r = run(script, args);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          "local-cluster.sh "
              + String.join(" ", args)
              + " exited "
              + r.exitCode()
              + ":\n"
              + r.output());
    }
    return r.output();
  }

  /** Runs {@code program} with this cluster's environment, 60 s at most. */
  private Etcdctl.Result run(Path program, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(program.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    environment(pb.environment());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          program.getFileName() + " " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Etcdctl.Result(p.exitValue(), out);
  }

  private void environment(Map<String, String> env) {
    env.put("LOCAL_CLUSTER_DIR", dir.toString());
    env.put("LOCAL_CLUSTER_NAMES", String.join(" ", NAMES));
    env.put("LOCAL_CLUSTER_CLIENT_PORTS", join(clientPorts));
    env.put("LOCAL_CLUSTER_PEER_PORTS", join(peerPorts));
    env.put("LOCAL_CLUSTER_TOKEN", TOKEN);
    env.put(
        "PEKKO_ETCD_SKIP_BUILD",
        "1"); // the jar `package` just built; never a build from inside the build
    env.put("ETCDCTL_API", "3");
  }

  private static String join(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }

  public String endpoint(int i) {
    return "http://127.0.0.1:" + clientPorts.get(i);
  }

  /** Every member's client URL, comma-separated, as etcdctl's --endpoints takes them. */
  public String endpoints() {
    return IntStream.range(0, NAMES.size())
        .mapToObj(this::endpoint)
        .collect(Collectors.joining(","));
  }

  public int indexOfEndpoint(String endpoint) {
    for (int i = 0; i < NAMES.size(); i++) {
      if (endpoint(i).equals(endpoint)) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a member's endpoint: " + endpoint);
  }

  public Path dataDir(String name) {
    return dir.resolve(name + ".etcd");
  }

  public Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /** The live process named by the member's pid file, if any. */
  public Optional<ProcessHandle> process(String name) throws IOException {
    Path pidFile = dir.resolve(name + ".pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
        .filter(ProcessHandle::isAlive);
  }

  /** SIGKILL the member through its pid file and wait until it is gone. */
  public void kill9(String name) throws Exception {
    ProcessHandle p =
        process(name).orElseThrow(() -> new IllegalStateException(name + " is not running"));
    p.destroyForcibly();
    p.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Whether etcdctl finds the member healthy (a quorum read through it succeeds). */
  public boolean healthy(int i) throws Exception {
    return Etcdctl.run(endpoint(i), null, "endpoint", "health").exitCode() == 0;
  }

  /**
   * {@code endpoint status --cluster -w json} asked through member {@code i}: one entry per member.
   */
  public List<Status> clusterStatus(int i) throws Exception {
    return status(endpoint(i), "--cluster");
  }

  /** {@code endpoint status -w json} of the given endpoints; empty if etcdctl failed. */
  public List<Status> status(String endpoints, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("endpoint", "status", "-w", "json"));
    args.addAll(List.of(extra));
    Etcdctl.Result r = Etcdctl.run(endpoints, null, args.toArray(String[]::new));
    if (r.exitCode() != 0) {
      return List.of();
    }
    List<Status> out = new ArrayList<>();
    // path(), not get(): etcdctl's JSON omits zero-valued fields (Go omitempty), e.g. "leader"
    // while there is none.
    for (JsonNode e : JSON.readTree(jsonOf(r.output()))) {
      JsonNode s = e.path("Status");
      out.add(
          new Status(
              e.path("Endpoint").asText(),
              s.path("header").path("member_id").asText(),
              s.path("leader").asText(),
              s.path("raftTerm").asLong(),
              s.path("raftIndex").asLong(),
              s.path("header").path("revision").asLong()));
    }
    return out;
  }

  /**
   * {@code endpoint hashkv -w json} of every member; empty if etcdctl failed (a member not
   * serving).
   */
  public List<HashKv> hashKv() throws Exception {
    Etcdctl.Result r = Etcdctl.run(endpoints(), null, "endpoint", "hashkv", "-w", "json");
    if (r.exitCode() != 0) {
      return List.of();
    }
    List<HashKv> out = new ArrayList<>();
    for (JsonNode e : JSON.readTree(jsonOf(r.output()))) {
      JsonNode h = e.path("HashKV");
      out.add(
          new HashKv(
              e.path("Endpoint").asText(),
              h.path("header").path("revision").asLong(),
              h.path("hash").asLong()));
    }
    return out;
  }

  /**
   * The JSON array in etcdctl's merged output (its client library may log warnings on stderr around
   * it).
   */
  private static String jsonOf(String output) {
    return output.lines().filter(l -> l.startsWith("[")).findFirst().orElse("[]");
  }

  /** Stops every member (best effort: also when a test failed half-way). */
  @Override
  public void close() throws Exception {
    script("stop");
  }
}
