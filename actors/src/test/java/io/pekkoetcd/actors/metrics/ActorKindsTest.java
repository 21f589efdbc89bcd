package io.pekkoetcd.actors.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActorKindsTest {
  @ParameterizedTest
  @CsvSource({
    "/user/kv, kv",
    "/user/raft, raft",
    "/user/raft/peers, raft/peers",
    "/user/watch/stream-17, watch/stream",
    "/user/raft/snapshot-sender-3, raft/snapshot-sender",
    "/user/leases/$a, leases/anonymous",
    "/user/$b, anonymous",
    "/user, user",
    "/system/pekko.persistence.journal.leveldb, system/pekko.persistence.journal.leveldb",
    "/system/Materializers/StreamSupervisor-0/flow-3-0, system/Materializers",
    "/, root",
  })
  void kindIsThePathUnderUserWithoutInstanceNumbers(String path, String kind) {
    assertThat(ActorKinds.of(path)).isEqualTo(kind);
  }
}
