package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NOSPACE on three members: filling a small quota through one member raises the alarm cluster-wide
 * (every member's Status lists it; that it survives a restart is AlarmOpsTest's); writes through
 * any member fail with etcd's error while reads and deletes work; compaction, {@code etcdctl
 * defrag} on every member and {@code etcdctl alarm disarm} restore writes everywhere.
 */
class NoSpaceClusterTest {
  @TempDir Path dir;

  @Test
  void quotaRaisesNoSpaceOnEveryMemberUntilDisarmed() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl (etcd-client) is not installed");
    try (ThreeMemberCluster c =
        ThreeMemberCluster.start(dir, List.of("--quota-backend-bytes=1500000"))) {
      c.awaitLeader(Duration.ofSeconds(30));
      String value = "x".repeat(100_000);
      String refused = null;
      for (int i = 0; i < 200 && refused == null; i++) {
        Etcdctl.Result r = Etcdctl.run(c.endpoint(0), null, "put", "big-" + i, value);
        // a put may also time out on 2 shared cores; only the quota's refusal ends the loop
        if (r.exitCode() != 0 && r.output().contains("database space exceeded")) {
          refused = r.output();
        }
      }
      assertThat(refused).contains("Error: etcdserver: mvcc: database space exceeded");
      String alarm = "memberID:" + Long.toUnsignedString(c.member(0).config().memberId());
      for (int i = 0; i < 3; i++) {
        int m = i;
        ThreeMemberCluster.await(
            Duration.ofSeconds(10),
            "NOSPACE in member " + m + "'s status",
            () -> c.statusErrors(m).contains(alarm + " alarm:NOSPACE "));
      }
      // /health as etcd 3.5: the alarm makes a member unhealthy unless excluded
      assertThat(health(c, 2, ""))
          .isEqualTo("503 {\"health\":\"false\",\"reason\":\"ALARM NOSPACE\"}");
      assertThat(health(c, 2, "?exclude=NOSPACE")).startsWith("200 ");
      assertThat(Etcdctl.run(c.endpoint(2), null, "alarm", "list").output())
          .contains(alarm + " alarm:NOSPACE \n");
      assertThat(Etcdctl.run(c.endpoint(1), null, "put", "small", "v").output())
          .contains("Error: etcdserver: mvcc: database space exceeded");
      assertThat(Etcdctl.run(c.endpoint(2), null, "get", "big-0", "--keys-only").output())
          .startsWith("big-0\n");

      assertThat(Etcdctl.run(c.endpoint(2), null, "del", "big-", "--prefix").exitCode()).isZero();
      long rev = c.status(0).getHeader().getRevision();
      assertThat(Etcdctl.run(c.endpoint(0), null, "compact", Long.toString(rev)).exitCode())
          .isZero();
      String all = c.endpoint(0) + "," + c.endpoint(1) + "," + c.endpoint(2);
      Etcdctl.Result defrag = Etcdctl.run(all, null, "defrag");
      assertThat(defrag.exitCode()).as(defrag.output()).isZero();
      assertThat(Etcdctl.run(c.endpoint(1), null, "put", "small", "v").output())
          .as("the alarm is still active")
          .contains("database space exceeded");
      // every member over its quota raised NOSPACE for itself, as etcd: disarm clears them all
      assertThat(Etcdctl.run(c.endpoint(1), null, "alarm", "disarm").output())
          .contains(alarm + " alarm:NOSPACE \n");
      for (int i = 0; i < 3; i++) {
        assertThat(Etcdctl.run(c.endpoint(i), null, "put", "small-" + i, "v").output())
            .as("put through member %d", i)
            .isEqualTo("OK\n");
        assertThat(c.statusErrors(i)).doesNotContain("NOSPACE");
      }
    }
  }

  private static String health(ThreeMemberCluster c, int i, String query) throws Exception {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(c.endpoint(i) + "/health" + query))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }
}
