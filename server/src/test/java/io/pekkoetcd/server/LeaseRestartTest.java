package io.pekkoetcd.server;

import static io.pekkoetcd.server.KvJetcdTest.bs;
import static io.pekkoetcd.server.KvJetcdTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases survive a restart of a single member: they are in the MVCC store's lease bucket, so the
 * lease, its granted TTL and its keys come back, and its TTL restarts in full (etcd's behaviour
 * without checkpoints); a revoke afterwards still deletes its keys.
 */
class LeaseRestartTest {
  @TempDir Path dir;

  @Test
  void leasesAndTheirKeysComeBackAfterARestart() throws Exception {
    int client = InProcessMember.freePort();
    int peer = InProcessMember.freePort();
    long id;
    try (InProcessMember m = InProcessMember.start(dir, "lease-restart", client, peer);
        Client c = Client.builder().endpoints(m.endpoint()).build()) {
      id = get(c.getLeaseClient().grant(120)).getID();
      get(c.getKVClient().put(bs("rs/a"), bs("1"), PutOption.builder().withLeaseId(id).build()));
    }
    try (InProcessMember m = InProcessMember.start(dir, "lease-restart", client, peer);
        Client c = Client.builder().endpoints(m.endpoint()).build()) {
      LeaseTimeToLiveResponse ttl =
          get(c.getLeaseClient().timeToLive(id, LeaseOption.builder().withAttachedKeys().build()));
      assertThat(ttl.getGrantedTTL()).isEqualTo(120);
      assertThat(ttl.getTTL()).isBetween(115L, 121L);
      assertThat(ttl.getKeys()).extracting(KvJetcdTest::str).containsExactly("rs/a");
      assertThat(get(c.getKVClient().get(bs("rs/a"))).getKvs().get(0).getLease()).isEqualTo(id);
      get(c.getLeaseClient().revoke(id));
      assertThat(get(c.getKVClient().get(bs("rs/a"))).getKvs()).isEmpty();
    }
  }
}
