package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkoetcd.testkit.cluster.Poll;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --auto-compaction-mode periodic --auto-compaction-retention 2s}: the member compacts by
 * itself, so an old revision becomes "required revision has been compacted" for etcdctl while the
 * latest value stays.
 */
class AutoCompactionEtcdctlTest {
  @TempDir Path dir;

  @Test
  void periodicCompactionCompactsOldRevisions() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl (etcd-client) is not installed");
    try (InProcessMember m =
        InProcessMember.startWith(
            dir.resolve("data"),
            "auto",
            "--auto-compaction-mode=periodic",
            "--auto-compaction-retention=2s")) {
      for (int i = 0; i < 5; i++) {
        assertThat(Etcdctl.run(m.endpoint(), null, "put", "k", "v" + i).output()).isEqualTo("OK\n");
      }
      Poll.until(
          Duration.ofSeconds(30),
          "revision 2 compacted by auto-compaction",
          () ->
              Etcdctl.run(m.endpoint(), null, "get", "k", "--rev=2")
                  .output()
                  .contains("required revision has been compacted"));
      assertThat(Etcdctl.run(m.endpoint(), null, "get", "k", "--print-value-only").output())
          .isEqualTo("v4\n");
    }
  }
}
