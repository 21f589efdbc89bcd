package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.util.ArrayList;
import java.util.List;

/**
 * Every key a server holds, as etcdctl reads it ({@code get "" --from-key -w json}): the store's
 * revision, then per key its create and mod revisions, version, value and whether it has a lease;
 * for comparing two servers (a snapshot's source and its restore).
 */
final class KvDump {
  private KvDump() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code extraArgs}: more of etcdctl's get flags (e.g. {@code --consistency=s}). */
  static String of(String endpoint, String... extraArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of("get", "", "--from-key", "-w", "json"));
    args.addAll(List.of(extraArgs));
    Etcdctl.Result r = Etcdctl.run(endpoint, null, args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    JsonNode get = JSON.readTree(r.output());
    StringBuilder b = new StringBuilder("revision " + get.get("header").get("revision") + "\n");
    for (JsonNode kv : get.get("kvs")) {
      b.append(kv.get("key").asText())
          .append(" create ")
          .append(kv.get("create_revision"))
          .append(" mod ")
          .append(kv.get("mod_revision"))
          .append(" version ")
          .append(kv.get("version"))
          .append(" value ")
          .append(kv.get("value").asText())
          .append(" lease ")
          .append(kv.has("lease"))
          .append('\n');
    }
    return b.toString();
  }
}
