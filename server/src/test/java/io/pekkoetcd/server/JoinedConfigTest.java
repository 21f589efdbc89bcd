package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.actors.ClusterJoin;
import io.pekkoetcd.actors.MemberConfig;
import io.pekkoetcd.actors.apply.Members;
import io.pekkoetcd.protocol.etcdserverpb.Member;
import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that joined a running cluster takes its ID, cluster and membership from its peers, and
 * keeps everything else its own flags say: quota, auto-compaction, corruption checks, auth.
 */
class JoinedConfigTest {
  @TempDir Path dir;

  @Test
  void aJoinedMemberKeepsItsMaintenanceAndAuthFlags() throws Exception {
    List<String> args =
        new ArrayList<>(InProcessMember.etcdFlags("joiner", dir.resolve("data"), 2379, 2380));
    args.addAll(
        List.of(
            "--quota-backend-bytes=1500000",
            "--auto-compaction-retention=5",
            "--auto-compaction-mode=revision",
            "--experimental-initial-corrupt-check=true",
            "--experimental-corrupt-check-time=3s",
            "--auth-token-ttl=60",
            "--bcrypt-cost=4"));
    ParseResult.Run run =
        (ParseResult.Run) EtcdConfigParser.parse(args.toArray(String[]::new), Map.of());
    MemberConfig own = MemberRunner.memberConfig(run.config());
    Member peer = Member.newBuilder().setID(0x1234).addPeerURLs("http://127.0.0.1:9380").build();
    Member self = Member.newBuilder().setID(0x5678).addPeerURLs("http://127.0.0.1:2380").build();
    MemberConfig joined =
        MemberRunner.joinedConfig(
            own, new ClusterJoin.Joined(0x5678, 0x9abc, Members.of(List.of(peer, self))));

    assertThat(joined.memberId()).isEqualTo(0x5678);
    assertThat(joined.clusterId()).isEqualTo(0x9abc);
    assertThat(joined.initialCluster()).hasSize(2);
    assertThat(joined.maintenance()).isEqualTo(own.maintenance());
    assertThat(joined.maintenance().quotaBackendBytes()).isEqualTo(1_500_000);
    assertThat(joined.maintenance().compactionRevisions()).isEqualTo(5);
    assertThat(joined.maintenance().initialCorruptCheck()).isTrue();
    assertThat(joined.maintenance().corruptCheckPeriod()).isEqualTo(Duration.ofSeconds(3));
    assertThat(joined.auth()).isEqualTo(own.auth());
    assertThat(joined.auth().tokenTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(joined.auth().bcryptCost()).isEqualTo(4);
  }
}
