package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.process.Curl;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl against etcd 3.4's JSON gateway and against pekko-etcd's, both fresh: the examples of etcd's
 * gateway documentation (dev-guide/api_grpc_gateway.md: put, range, prefix range, watch, txn) and
 * then every service's paths, the {@code /v3beta} alias, errors and malformed bodies, must print
 * the same status and body once member and cluster IDs, ports and ticking TTLs are masked. (The
 * documentation's auth examples wait for the Auth service.)
 */
class JsonGatewayCompatibilityTest {
  @TempDir Path dir;

  /** A curl call: path (under the client URL), body, and extra curl arguments. */
  record Step(String path, String body, String... extra) {}

  static final List<Step> STEPS =
      List.of(
          // the documentation's examples
          new Step("/v3/kv/put", "{\"key\": \"Zm9v\", \"value\": \"YmFy\"}"),
          new Step("/v3/kv/range", "{\"key\": \"Zm9v\"}"),
          new Step("/v3/kv/range", "{\"key\": \"Zm9v\", \"range_end\": \"Zm9w\"}"),
          new Step(
              "/v3/kv/txn",
              "{\"compare\":[{\"target\":\"CREATE\",\"key\":\"Zm9v\",\"createRevision\":\"2\"}],"
                  + "\"success\":[{\"requestPut\":{\"key\":\"Zm9v\",\"value\":\"YmFy\"}}]}"),
          new Step(
              "/v3/kv/txn",
              "{\"compare\":[{\"version\":\"4\",\"result\":\"EQUAL\",\"target\":\"VERSION\",\"key\":\"Zm9v\"}],"
                  + "\"success\":[{\"requestRange\":{\"key\":\"Zm9v\"}}]}"),
          // KV beyond the examples
          new Step("/v3beta/kv/put", "{\"key\": \"YQ==\", \"value\": \"MQ==\", \"prev_kv\": true}"),
          new Step("/v3beta/kv/put", "{\"key\": \"YQ==\", \"value\": \"Mg==\", \"prev_kv\": true}"),
          new Step(
              "/v3/kv/range",
              "{\"key\": \"AA==\", \"range_end\": \"AA==\", \"sort_order\": \"DESCEND\","
                  + " \"sort_target\": \"KEY\", \"keys_only\": true}"),
          new Step(
              "/v3/kv/range", "{\"key\": \"YQ==\", \"revision\": \"5\", \"count_only\": true}"),
          new Step(
              "/v3/kv/txn",
              "{\"compare\":[{\"key\":\"YQ==\",\"target\":\"VALUE\",\"value\":\"MQ==\"}],"
                  + "\"success\":[{\"request_delete_range\":{\"key\":\"YQ==\"}}],"
                  + "\"failure\":[{\"request_range\":{\"key\":\"YQ==\"}},"
                  + "{\"request_txn\":{\"success\":[{\"request_put\":{\"key\":\"Yg==\",\"value\":\"Mw==\"}}]}}]}"),
          new Step("/v3/kv/deleterange", "{\"key\": \"YQ==\", \"prev_kv\": true}"),
          new Step("/v3/kv/deleterange", "{\"key\": \"eg==\"}"),
          new Step("/v3/kv/compaction", "{\"revision\": \"3\", \"physical\": true}"),
          new Step("/v3/kv/range", "{\"key\": \"Zm9v\", \"revision\": \"2\"}"),
          new Step("/v3/kv/range", "{\"key\": \"Zm9v\", \"revision\": \"100\"}"),
          new Step("/v3/kv/put", "{\"value\": \"YmFy\"}"),
          new Step(
              "/v3/kv/txn",
              "{\"success\":[{\"request_put\":{\"key\":\"YQ==\"}},{\"request_put\":{\"key\":\"YQ==\"}}]}"),
          // leases
          new Step("/v3/lease/grant", "{\"TTL\": 60, \"ID\": 7}"),
          new Step("/v3/lease/grant", "{\"TTL\": 60, \"ID\": 7}"),
          new Step("/v3/lease/grant", "{\"TTL\": 60, \"ID\": 9}"),
          new Step("/v3/kv/put", "{\"key\": \"bA==\", \"value\": \"dg==\", \"lease\": \"7\"}"),
          new Step("/v3/lease/timetolive", "{\"ID\": 7, \"keys\": true}"),
          new Step("/v3/kv/lease/timetolive", "{\"ID\": \"7\"}"),
          new Step("/v3/lease/timetolive", "{\"ID\": 8}"),
          new Step("/v3/lease/keepalive", "{\"ID\": 7}"),
          new Step("/v3/lease/keepalive", "{\"ID\": 8}"),
          new Step("/v3/lease/revoke", "{\"ID\": 8}"),
          new Step("/v3/kv/lease/revoke", "{\"ID\": 7}"),
          new Step("/v3/lease/leases", "{}"),
          new Step("/v3/kv/lease/leases", "{}"),
          // lock and election
          new Step("/v3/lock/lock", "{\"name\": \"bXlsb2Nr\", \"lease\": \"9\"}"),
          new Step("/v3/lock/unlock", "{\"key\": \"bXlsb2NrLzk=\"}"),
          new Step(
              "/v3/election/campaign",
              "{\"name\": \"ZWxlY3Rpb24=\", \"lease\": \"9\", \"value\": \"djE=\"}"),
          new Step("/v3/election/leader", "{\"name\": \"ZWxlY3Rpb24=\"}"),
          new Step(
              "/v3/election/proclaim",
              "{\"leader\": {\"name\": \"ZWxlY3Rpb24=\", \"key\": \"ZWxlY3Rpb24vOQ==\","
                  + " \"rev\": \"13\", \"lease\": \"9\"}, \"value\": \"djI=\"}"),
          new Step("/v3/election/leader", "{\"name\": \"ZWxlY3Rpb24=\"}"),
          new Step(
              "/v3/election/resign",
              "{\"leader\": {\"name\": \"ZWxlY3Rpb24=\", \"key\": \"ZWxlY3Rpb24vOQ==\","
                  + " \"rev\": \"13\", \"lease\": \"9\"}}"),
          new Step("/v3/election/leader", "{\"name\": \"ZWxlY3Rpb24=\"}"),
          // cluster and maintenance
          new Step("/v3/cluster/member/list", "{}"),
          new Step("/v3/maintenance/alarm", "{\"action\": \"GET\"}"),
          // malformed bodies: Go's messages
          new Step("/v3/kv/range", ""),
          new Step("/v3/kv/range", "{\"key\": "),
          new Step("/v3/kv/range", "xx"),
          new Step("/v3/kv/range", "{\"key\":\"Zm9v==\"}"),
          new Step("/v3/kv/range", "{\"key\":5}"),
          new Step("/v3/kv/range", "{\"key\":\"Zm9v\",\"limit\":\"abc\"}"),
          new Step("/v3/kv/range", "{\"key\":\"Zm9v\",\"sort_order\":\"FOO\"}"),
          new Step("/v3/kv/range", "{\"key\":\"Zm9v\",\"limit\":1.5}"),
          new Step("/v3/kv/range", "[1]"),
          new Step("/v3/watch", "xx"),
          // HTTP-level answers
          new Step("/v3/kv/range", "", "-X", "GET"),
          new Step("/v3/kv/nothing", "{}"),
          new Step("/v3alpha/kv/range", "{\"key\": \"Zm9v\"}"));

  @Test
  void curlPrintsTheSameAgainstPekkoEtcdAsAgainstEtcd() throws Exception {
    assertThat(Curl.available()).as("curl on PATH").isTrue();
    assertThat(RealEtcd.available()).as("etcd on PATH (Debian etcd-server)").isTrue();
    List<String> reference;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), "gw-compat")) {
      reference = runAll("http://" + etcd.endpoint(), etcd.port(), etcd.peerPort());
    }
    List<String> ours;
    try (InProcessMember member = InProcessMember.start(dir.resolve("pekko"), "gw-compat")) {
      // as RealEtcd.start: serving with a leader (a watch right after the port opens may come
      // before
      // the first entry of the member's term is applied, and its header then has no raft_term)
      member.awaitHealthy(Duration.ofSeconds(30));
      ours = runAll(member.endpoint(), member.port(), member.peerPort());
    }
    Path out = Path.of("target", "gateway-compat");
    Files.createDirectories(out);
    Files.writeString(out.resolve("etcd.txt"), String.join("\n", reference));
    Files.writeString(out.resolve("pekko-etcd.txt"), String.join("\n", ours));
    assertThat(ours).hasSameSizeAs(reference);
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < reference.size(); i++) {
      soft.assertThat(ours.get(i)).isEqualTo(reference.get(i));
    }
    soft.assertAll();
  }

  private static List<String> runAll(String endpoint, int clientPort, int peerPort)
      throws Exception {
    List<String> out = new ArrayList<>();
    // the documentation's watch example: a watch, then a put it sees
    try (Curl watch =
        Curl.stream(
            endpoint + "/v3/watch",
            "-X",
            "POST",
            "-d",
            "{\"create_request\": {\"key\":\"Zm9v\"} }")) {
      watch.awaitLines(1, Duration.ofSeconds(20));
      out.add(call(endpoint, new Step("/v3/kv/put", "{\"key\": \"Zm9v\", \"value\": \"YmFy\"}")));
      out.add("$ curl -N /v3/watch create foo\n" + watch.awaitLines(2, Duration.ofSeconds(20)));
    }
    for (Step step : STEPS) {
      out.add(call(endpoint, step));
    }
    // a watch from a compacted revision: created, then canceled with the compact revision
    try (Curl compacted =
        Curl.stream(
            endpoint + "/v3/watch",
            "-X",
            "POST",
            "-d",
            "{\"create_request\":{\"key\":\"Zm9v\",\"start_revision\":\"1\"}}")) {
      out.add("$ curl -N /v3/watch compacted\n" + compacted.awaitLines(2, Duration.ofSeconds(20)));
    }
    // every key, with prev_kv, no puts, a chosen watch id
    try (Curl watch =
        Curl.stream(
            endpoint + "/v3/watch",
            "-X",
            "POST",
            "-d",
            "{\"create_request\":{\"key\":\"AA==\",\"range_end\":\"AA==\",\"prev_kv\":true,"
                + "\"filters\":[\"NOPUT\"],\"watch_id\":\"5\"}}")) {
      watch.awaitLines(1, Duration.ofSeconds(20));
      out.add(call(endpoint, new Step("/v3/kv/put", "{\"key\": \"Zm9v\", \"value\": \"eA==\"}")));
      out.add(call(endpoint, new Step("/v3/kv/deleterange", "{\"key\": \"Zm9v\"}")));
      out.add("$ curl -N /v3/watch prefix\n" + watch.awaitLines(2, Duration.ofSeconds(20)));
    }
    return out.stream().map(s -> mask(s, clientPort, peerPort)).toList();
  }

  private static String call(String endpoint, Step step) throws Exception {
    List<String> args = new ArrayList<>(List.of(endpoint + step.path(), "-w", "\n%{http_code}"));
    if (step.extra().length == 0) {
      args.addAll(List.of("-X", "POST"));
    }
    args.addAll(List.of(step.extra()));
    if (!step.body().isEmpty() || step.extra().length == 0) {
      args.addAll(List.of("-d", step.body()));
    }
    Curl.Result r = Curl.run(args.toArray(String[]::new));
    return "$ curl "
        + step.path()
        + " "
        + String.join(" ", step.extra())
        + " -d '"
        + step.body()
        + "'\n"
        + r.output();
  }

  static String mask(String s, int clientPort, int peerPort) {
    s = s.replaceAll("\"(cluster_id|member_id|ID)\":\"\\d{6,}\"", "\"$1\":\"<id>\"");
    s = s.replace(":" + clientPort, ":<client>").replace(":" + peerPort, ":<peer>");
    // remaining TTLs tick
    Matcher m = Pattern.compile("\"TTL\":\"(\\d+)\",\"grantedTTL\"").matcher(s);
    return m.replaceAll("\"TTL\":\"<ttl>\",\"grantedTTL\"");
  }
}
