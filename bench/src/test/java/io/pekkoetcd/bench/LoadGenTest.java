package io.pekkoetcd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.StatusResponse;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoadGenTest {
  @Test
  void optionsShapedLikeEtcdsBenchmark() {
    LoadOptions o =
        LoadOptions.parse(
            new String[] {
              "put",
              "--endpoints",
              "http://127.0.0.1:2379,127.0.0.2:2380",
              "--conns",
              "10",
              "--clients",
              "100",
              "--seconds",
              "5",
              "--sequential-keys",
              "--key-space-size",
              "1000",
              "--pids",
              "12,34"
            });
    assertThat(o.endpoints())
        .containsExactly(
            new LoadOptions.Endpoint("127.0.0.1", 2379),
            new LoadOptions.Endpoint("127.0.0.2", 2380));
    assertThat(o.conns()).isEqualTo(10);
    assertThat(o.clients()).isEqualTo(100);
    assertThat(o.total()).isEqualTo(Long.MAX_VALUE); // bounded by --seconds instead
    assertThat(o.sequentialKeys()).isTrue();
    assertThat(o.pids()).containsExactly(12L, 34L);
  }

  @Test
  void targetIsAllEndpointsTheLeaderOrAFollower() {
    assertThat(LoadOptions.parse(new String[] {"put"}).target()).isEqualTo(LoadOptions.Target.ALL);
    assertThat(LoadOptions.parse(new String[] {"put", "--target-leader"}).target())
        .isEqualTo(LoadOptions.Target.LEADER);
    assertThat(LoadOptions.parse(new String[] {"range", "--target-follower"}).target())
        .isEqualTo(LoadOptions.Target.FOLLOWER);
    assertThatThrownBy(
            () -> LoadOptions.parse(new String[] {"put", "--target-leader", "--target-follower"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMembersRoleIsReadFromItsStatus() {
    StatusResponse leader = status(7, 7);
    StatusResponse follower = status(9, 7);
    StatusResponse leaderless = status(9, 0);
    assertThat(LoadGen.inRole(leader, LoadOptions.Target.LEADER)).isTrue();
    assertThat(LoadGen.inRole(leader, LoadOptions.Target.FOLLOWER)).isFalse();
    assertThat(LoadGen.inRole(follower, LoadOptions.Target.LEADER)).isFalse();
    assertThat(LoadGen.inRole(follower, LoadOptions.Target.FOLLOWER)).isTrue();
    assertThat(LoadGen.inRole(leaderless, LoadOptions.Target.LEADER)).isFalse();
    assertThat(LoadGen.inRole(leaderless, LoadOptions.Target.FOLLOWER)).isFalse();
  }

  private static StatusResponse status(long memberId, long leader) {
    return StatusResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setMemberId(memberId))
        .setLeader(leader)
        .build();
  }

  @Test
  void boundedByTotalUnlessSecondsGiven() {
    LoadOptions o = LoadOptions.parse(new String[] {"range", "--consistency", "s"});
    assertThat(o.total()).isEqualTo(10_000);
    assertThat(o.seconds()).isZero();
    assertThat(o.serializable()).isTrue();
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"put", "--seconds", "601"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"delete"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"range", "--consistency", "x"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysAreGoVarintsPaddedToKeySize() {
    assertThat(Workload.Keys.varint(5, 8)).containsExactly(10, 0, 0, 0, 0, 0, 0, 0);
    assertThat(Workload.Keys.varint(100, 3)).containsExactly(0xC8 - 256, 1, 0);
    assertThat(Workload.Keys.varint(-1, 2)).containsExactly(1, 0);
    // Sequential keys cycle through the key space.
    Workload.Keys keys = new Workload.Keys(8, 3, true);
    assertThat(keys.key(4)).isEqualTo(keys.key(1));
  }

  @Test
  void workloadsBuildEtcdRequests() {
    LoadOptions put =
        LoadOptions.parse(new String[] {"put", "--val-size", "16", "--key-size", "4"});
    PutRequest p = (PutRequest) Workload.of(put).request(0);
    assertThat(p.getKey().size()).isEqualTo(4);
    assertThat(p.getValue().size()).isEqualTo(16);
    assertThat(Workload.of(put).method().getFullMethodName()).isEqualTo("etcdserverpb.KV/Put");

    LoadOptions txn = LoadOptions.parse(new String[] {"txn-put", "--txn-ops", "3"});
    TxnRequest t = (TxnRequest) Workload.of(txn).request(0);
    assertThat(t.getSuccessList()).hasSize(3).allMatch(op -> op.hasRequestPut());
    assertThat(t.getCompareList()).isEmpty();

    LoadOptions range = LoadOptions.parse(new String[] {"range"});
    RangeRequest r = (RangeRequest) Workload.of(range).request(0);
    assertThat(r.getSerializable()).isFalse();
  }

  @Test
  void cpuTicksAreUtimePlusStimeEvenWithSpacesInTheName() {
    String stat =
        "4279 (etcd (x) y) S 1 4279 4279 0 -1 4194560 12095 0 0 0 173 42 0 0 20 0 13 0 3612 0";
    assertThat(ServerUsage.parseCpuTicks(stat)).isEqualTo(215);
    long self = ProcessHandle.current().pid();
    assertThat(ServerUsage.sample(List.of(self)).rssKib()).isPositive();
    assertThat(ServerUsage.sample(List.of(Long.MAX_VALUE))).isEqualTo(new ServerUsage(0, 0));
  }

  @Test
  void watchAndLeaseKeepAliveOptions() {
    LoadOptions w = LoadOptions.parse(new String[] {"watch", "--put-rate", "500"});
    assertThat(w.watchers()).isEqualTo(100);
    assertThat(w.watchStreams()).isEqualTo(10);
    assertThat(w.putRate()).isEqualTo(500);
    assertThat(LoadOptions.parse(new String[] {"lease-keepalive"}).putRate()).isZero();
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"watch", "--val-size", "7"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                LoadOptions.parse(
                    new String[] {"watch", "--watchers", "5", "--watch-streams", "6"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LoadOptions.parse(new String[] {"lease-keepalive", "--put-rate", "10"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stampedValuesCarryTheSendTimeAndKeepTheirSize() {
    ByteString padding = ByteString.copyFromUtf8("0123456789abcdef");
    for (long nanos : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L}) {
      ByteString v = Workload.StampedPut.stamped(nanos, padding);
      assertThat(v.size()).isEqualTo(16);
      assertThat(Workload.StampedPut.stamp(v)).isEqualTo(nanos);
      assertThat(v.substring(8)).isEqualTo(padding.substring(8));
    }
    assertThat(Workload.StampedPut.stamped(5, ByteString.EMPTY).size()).isEqualTo(8);

    LoadOptions o = LoadOptions.parse(new String[] {"watch", "--val-size", "32"});
    Workload.StampedPut put = (Workload.StampedPut) Workload.of(o);
    PutRequest p = (PutRequest) put.request(0);
    assertThat(p.getKey().startsWith(put.prefix())).isTrue();
    assertThat(p.getValue().size()).isEqualTo(32);
    // A fresh prefix every run.
    assertThat(((Workload.StampedPut) Workload.of(o)).prefix()).isNotEqualTo(put.prefix());
  }

  @Test
  void prefixEndIsEtcds() {
    assertThat(WatchStreams.prefixEnd(ByteString.copyFromUtf8("/a/")))
        .isEqualTo(ByteString.copyFromUtf8("/a0"));
    assertThat(WatchStreams.prefixEnd(ByteString.copyFrom(new byte[] {0x61, (byte) 0xFF})))
        .isEqualTo(ByteString.copyFrom(new byte[] {0x62}));
    assertThat(WatchStreams.prefixEnd(ByteString.copyFrom(new byte[] {(byte) 0xFF})))
        .isEqualTo(ByteString.copyFrom(new byte[] {0}));
  }

  @Test
  void pacedRequestsAreDueAtTheirShareOfTheRate() {
    Pacer p = new Pacer(1_000, 500, null);
    assertThat(p.dueNanos(0)).isEqualTo(1_000);
    assertThat(p.dueNanos(1)).isEqualTo(1_000 + 2_000_000);
    assertThat(p.dueNanos(500)).isEqualTo(1_000 + 1_000_000_000);
    // Three a second: no drift from rounding over a long run.
    assertThat(new Pacer(0, 3, null).dueNanos(3 * 600)).isEqualTo(600_000_000_000L);
    assertThat(p.waitNanos(1, 1_000)).isEqualTo(2_000_000);
    assertThat(p.waitNanos(1, 5_000_000)).isZero(); // late: at once
    assertThat(Pacer.NONE.waitNanos(1_000_000, 0)).isZero();
  }

  @Test
  void aPacedPhaseEndsWithTheLastRequestDueBeforeItsDeadline() {
    // 10 a second from 0, deadline at 1 s: requests 0..9 are due before it, 10 is not.
    Budget b =
        new Budget(
            new AtomicLong(),
            Long.MAX_VALUE,
            1_000_000_000,
            0,
            new Pacer(0, 10, null),
            null,
            new Errors(),
            new CountDownLatch(1));
    for (int n = 0; n < 10; n++) {
      assertThat(b.ticket(0)).isEqualTo(n);
    }
    assertThat(b.ticket(0)).isEqualTo(-1);
    Budget total =
        new Budget(new AtomicLong(), 2, Long.MAX_VALUE, 0, Pacer.NONE, null, new Errors(), null);
    assertThat(total.ticket(0)).isZero();
    assertThat(total.ticket(0)).isEqualTo(1);
    assertThat(total.ticket(0)).isEqualTo(-1);
  }
}
