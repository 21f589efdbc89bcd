package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's corruption detection on three members, with real on-disk damage: a stopped member's stored
 * value is overwritten in its LevelDB (same revision, other bytes). Maintenance.Hash agrees on
 * every member before and tells the damaged one apart after; with {@code
 * --experimental-initial-corrupt-check} the damaged member refuses to start ("… found data
 * inconsistency with peers"); without it, the leader's periodic check ({@code
 * --experimental-corrupt-check-time}) raises CORRUPT, after which every member refuses writes with
 * "etcdserver: corrupt cluster" and still serves reads.
 */
class CorruptionCheckClusterTest {
  @TempDir Path dir;

  static final int DAMAGED = 2;

  @Test
  void aDamagedMemberIsRefusedAtStartAndRaisesCorruptOnTheLeadersCheck() throws Exception {
    assumeTrue(Etcdctl.available(), "etcdctl (etcd-client) is not installed");
    try (ThreeMemberCluster c =
        ThreeMemberCluster.start(dir, List.of("--experimental-corrupt-check-time=1s"))) {
      c.awaitLeader(Duration.ofSeconds(30));
      for (int n = 0; n < 20; n++) {
        assertThat(Etcdctl.run(c.endpoint(n % 3), null, "put", "k" + n, "v" + n).output())
            .isEqualTo("OK\n");
      }
      ThreeMemberCluster.await(
          Duration.ofSeconds(20),
          "the same Maintenance.Hash on every member",
          () -> hash(c, 0) == hash(c, 1) && hash(c, 1) == hash(c, 2));

      c.stop(DAMAGED);
      damageLastValue(
          dir.resolve(ThreeMemberCluster.name(DAMAGED)).resolve("member").resolve("kv"));
      assertThatThrownBy(
              () -> c.restart(DAMAGED, List.of("--experimental-initial-corrupt-check=true")))
          .hasStackTraceContaining("found data inconsistency with peers");

      c.restart(DAMAGED);
      String alarmOfDamaged =
          "memberID:"
              + Long.toUnsignedString(c.member(DAMAGED).config().memberId())
              + " alarm:CORRUPT \n";
      ThreeMemberCluster.await(
          Duration.ofSeconds(30), "a CORRUPT alarm", () -> alarms(c, 0).contains("CORRUPT"));
      int leader = c.awaitLeader(Duration.ofSeconds(30));
      if (leader != DAMAGED) {
        // the leader compares the others with itself: with a sound leader, the damaged one is named
        assertThat(Etcdctl.run(c.endpoint(1), null, "alarm", "list").output())
            .isEqualTo(alarmOfDamaged);
      }
      assertThat(hash(c, DAMAGED)).isNotEqualTo(hash(c, (DAMAGED + 1) % 3));
      for (int i = 0; i < 3; i++) {
        int m = i;
        ThreeMemberCluster.await(
            Duration.ofSeconds(10),
            "CORRUPT applied on member " + m,
            () -> c.statusErrors(m).stream().anyMatch(e -> e.contains("CORRUPT")));
        assertThat(Etcdctl.run(c.endpoint(i), null, "put", "after", "x").output())
            .as("a put through member %d", i)
            .contains("Error: etcdserver: corrupt cluster");
        assertThat(Etcdctl.run(c.endpoint(i), null, "get", "k1", "--print-value-only").output())
            .isEqualTo("v1\n");
      }
    }
  }

  private static String alarms(ThreeMemberCluster c, int i) {
    try {
      return Etcdctl.run(c.endpoint(i), null, "alarm", "list").output();
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** Maintenance.Hash of member {@code i}, through its client port. */
  private static int hash(ThreeMemberCluster c, int i) {
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", c.clientPort(i)).usePlaintext().build();
    try {
      return MaintenanceGrpc.newBlockingStub(ch)
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .hash(HashRequest.getDefaultInstance())
          .getHash();
    } finally {
      ch.shutdownNow();
    }
  }

  /**
   * Overwrites the value of the last put stored in the member's MVCC LevelDB (records {@code 0x01
   * revision → flag, KeyValue}), keeping its key and revision: the damage a bad disk does.
   */
  private static void damageLastValue(Path kvDir) throws Exception {
    byte[] lastKey = null;
    byte[] lastValue = null;
    try (DB db = JniDBFactory.factory.open(kvDir.toFile(), new Options());
        DBIterator it = db.iterator()) {
      for (it.seekToFirst(); it.hasNext(); ) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (e.getKey()[0] == 0x01 && e.getValue()[0] == 0) {
          lastKey = e.getKey();
          lastValue = e.getValue();
        }
      }
      assertThat(lastKey).as("a stored put").isNotNull();
      KeyValue kv = KeyValue.parseFrom(Arrays.copyOfRange(lastValue, 1, lastValue.length));
      byte[] damaged =
          kv.toBuilder().setValue(ByteString.copyFromUtf8("damaged")).build().toByteArray();
      byte[] record = new byte[damaged.length + 1];
      System.arraycopy(damaged, 0, record, 1, damaged.length);
      db.put(lastKey, record);
    }
  }
}
