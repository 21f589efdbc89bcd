package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --experimental-enable-lease-checkpoint} turns on etcd's remaining-TTL checkpoints every 5
 * min (its default interval); without it there are none, as in etcd.
 */
class LeaseCheckpointFlagTest {

  static Duration interval(String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(InProcessMember.etcdFlags("cp", Path.of("target/cp-flag"), 2379, 2380));
    args.addAll(List.of(extra));
    ParseResult.Run run =
        (ParseResult.Run) EtcdConfigParser.parse(args.toArray(String[]::new), Map.of());
    return MemberRunner.memberConfig(run.config()).leaseCheckpointInterval();
  }

  @Test
  void theFlagEnablesCheckpointsEveryFiveMinutes() throws Exception {
    assertThat(interval()).isEqualTo(Duration.ZERO);
    assertThat(interval("--experimental-enable-lease-checkpoint")).isEqualTo(Duration.ofMinutes(5));
  }
}
