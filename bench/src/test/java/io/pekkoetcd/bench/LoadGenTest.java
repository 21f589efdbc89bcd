package io.pekkoetcd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import java.util.List;
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
}
