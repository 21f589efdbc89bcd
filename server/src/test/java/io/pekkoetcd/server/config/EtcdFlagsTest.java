package io.pekkoetcd.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flag table assembled from its group files: each file holds its groups, in etcd's order. */
class EtcdFlagsTest {

  @Test
  void eachGroupFileHoldsOnlyItsGroup() {
    Map<Flag.Group, List<Flag>> groups =
        Map.of(
            Flag.Group.MEMBER, MemberFlags.MEMBER_GROUP,
            Flag.Group.CLUSTERING, ClusteringFlags.CLUSTERING_GROUP,
            Flag.Group.SECURITY, SecurityFlags.SECURITY_GROUP,
            Flag.Group.AUTH, SecurityFlags.AUTH_GROUP,
            Flag.Group.MONITORING, LoggingFlags.MONITORING_GROUP,
            Flag.Group.LOGGING, LoggingFlags.LOGGING_GROUP,
            Flag.Group.PROXY, LegacyFlags.PROXY_GROUP,
            Flag.Group.EXPERIMENTAL, ExperimentalFlags.EXPERIMENTAL_GROUP,
            Flag.Group.UNSAFE, ExperimentalFlags.UNSAFE_GROUP,
            Flag.Group.DEPRECATED, LegacyFlags.DEPRECATED_GROUP);
    assertThat(groups).containsOnlyKeys(Flag.Group.values());
    groups.forEach(
        (group, flags) -> assertThat(flags).isNotEmpty().allMatch(f -> f.group() == group));
  }

  @Test
  void allListsTheGroupsInHelpOrderThenTheConfigFile() {
    List<Flag> all = EtcdFlags.ALL;
    assertThat(all).hasSize(111);
    assertThat(all.get(all.size() - 1).name()).isEqualTo(EtcdFlags.CONFIG_FILE);
    List<Flag.Group> groups = all.subList(0, all.size() - 1).stream().map(Flag::group).toList();
    assertThat(groups).isSortedAccordingTo(Enum::compareTo);
    assertThat(EtcdFlags.get("name").defaultValue()).isEqualTo("default");
    assertThat(EtcdFlags.byName("no-such-flag")).isEmpty();
  }
}
