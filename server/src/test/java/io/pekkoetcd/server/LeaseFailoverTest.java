package io.pekkoetcd.server;

import static io.pekkoetcd.server.KvJetcdTest.bs;
import static io.pekkoetcd.server.KvJetcdTest.get;
import static io.pekkoetcd.server.KvJetcdTest.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases across a leader kill, on three members, through jetcd connected to a follower: a lease the
 * client keeps alive survives (its key is never deleted: a watcher from before the failover sees no
 * delete of it), and a lease nobody keeps alive still expires after the failover (the new leader
 * restarts its TTL, then revokes it).
 */
class LeaseFailoverTest {
  @TempDir Path dir;

  static final long TTL = 6;

  @Test
  void aKeptAliveLeaseSurvivesALeaderKillAndAnUnkeptOneStillExpires() throws Exception {
    try (ThreeMemberCluster c = ThreeMemberCluster.start(dir)) {
      int leader = c.awaitLeader(ClusterTest.ELECTION);
      int through = (leader + 1) % 3;
      try (Client client = Client.builder().endpoints(c.endpoint(through)).build()) {
        Lease lease = client.getLeaseClient();
        KV kv = client.getKVClient();
        long kept = get(lease.grant(TTL)).getID();
        long unkept = get(lease.grant(TTL)).getID();
        get(kv.put(bs("fo/kept"), bs("k"), PutOption.builder().withLeaseId(kept).build()));
        long from =
            get(kv.put(bs("fo/unkept"), bs("u"), PutOption.builder().withLeaseId(unkept).build()))
                .getHeader()
                .getRevision();
        AtomicInteger renewals = new AtomicInteger();
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        try (CloseableClient keepAlive = lease.keepAlive(kept, counting(renewals));
            Watch.Watcher w =
                client
                    .getWatchClient()
                    .watch(
                        bs("fo/"),
                        WatchOption.builder().isPrefix(true).withRevision(from + 1).build(),
                        r -> events.addAll(r.getEvents()))) {
          ThreeMemberCluster.await(
              Duration.ofSeconds(10), "a first keep-alive answer", () -> renewals.get() > 0);
          c.stop(leader);
          int newLeader = c.awaitLeader(ClusterTest.ELECTION);
          assertThat(newLeader).isNotEqualTo(leader);
          int renewedBefore = renewals.get();
          // The new leader restarts the unkept lease's TTL (plus an election timeout): it
          // expires within TTL + 1 s + a check after that, and its key with it.
          ThreeMemberCluster.await(
              Duration.ofSeconds(TTL + 8),
              "the unkept lease's key deleted after the failover",
              () ->
                  events.stream().anyMatch(e -> str(e.getKeyValue().getKey()).equals("fo/unkept")));
          // Keep-alives reach the new leader through the follower; wait for a few more TTLs'
          // worth of them, so an expiry of the kept lease would have shown.
          ThreeMemberCluster.await(
              Duration.ofSeconds(3 * TTL),
              "keep-alives answered after the failover",
              () -> renewals.get() >= renewedBefore + 6);
          assertThat(get(kv.get(bs("fo/kept"))).getKvs()).hasSize(1);
          assertThat(get(kv.get(bs("fo/unkept"))).getKvs()).isEmpty();
          assertThat(events)
              .extracting(e -> e.getEventType() + " " + str(e.getKeyValue().getKey()))
              .containsExactly("DELETE fo/unkept");
          assertThat(
                  get(lease.timeToLive(kept, io.etcd.jetcd.options.LeaseOption.DEFAULT)).getTTL())
              .isPositive();
        }
      }
    }
  }

  private static StreamObserver<LeaseKeepAliveResponse> counting(AtomicInteger renewals) {
    return new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse r) {
        if (r.getTTL() > 0) {
          renewals.incrementAndGet();
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }
}
