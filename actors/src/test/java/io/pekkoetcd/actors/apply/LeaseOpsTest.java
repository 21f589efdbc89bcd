package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.StoredLease;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeResponse;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's lessor.Grant / lessor.Revoke as applied: errors, minimum TTL, one-revision revoke. */
class LeaseOpsTest {

  @TempDir Path dir;

  @Test
  void minTtlIsOneAndAHalfElectionTimeoutsRoundedUp() {
    assertThat(LeaseOps.minTtl(100, 10)).isEqualTo(2);
    assertThat(LeaseOps.minTtl(1000, 10)).isEqualTo(15);
    assertThat(LeaseOps.minTtl(100, 5)).isEqualTo(1); // (3*5/2) = 7 ticks = 0.7 s
  }

  @Test
  void grantRaisesTheTtlAndRefusesDuplicatesAndHugeTtls() {
    try (StoreFixture f = new StoreFixture(dir)) {
      LeaseGrantResponse r = (LeaseGrantResponse) f.ok(StoreFixture.grant(5, 1));
      assertThat(r.getID()).isEqualTo(5);
      assertThat(r.getTTL()).isEqualTo(2);
      assertThat(r.getHeader().getRevision()).isEqualTo(1);
      assertThat(f.fails(StoreFixture.grant(5, 10))).isEqualTo(MvccError.LEASE_EXISTS);
      assertThat(f.fails(StoreFixture.grant(6, LeaseOps.MAX_LEASE_TTL + 1)))
          .isEqualTo(MvccError.LEASE_TTL_TOO_LARGE);
      assertThat(
              ((LeaseGrantResponse) f.ok(StoreFixture.grant(6, LeaseOps.MAX_LEASE_TTL))).getTTL())
          .isEqualTo(LeaseOps.MAX_LEASE_TTL);
      assertThat(f.fails(StoreFixture.grant(0, 10))).isEqualTo(MvccError.LEASE_NOT_FOUND);
      assertThat(f.store.leases())
          .containsExactly(StoredLease.of(5, 2), StoredLease.of(6, LeaseOps.MAX_LEASE_TTL));
      f.reopen();
      assertThat(f.store.lease(5)).isEqualTo(StoredLease.of(5, 2));
    }
  }

  @Test
  void revokeDeletesEveryAttachedKeyInOneRevision() throws Exception {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.ok(StoreFixture.grant(9, 30));
      f.ok(StoreFixture.put(PutRequest.newBuilder().setKey(b("b")).setLease(9).build()));
      f.ok(
          StoreFixture.txn(
              TxnRequest.newBuilder()
                  .addSuccess(
                      RequestOp.newBuilder()
                          .setRequestPut(PutRequest.newBuilder().setKey(b("a")).setLease(9)))
                  .addSuccess(
                      RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("c"))))
                  .build()));
      assertThat(f.store.currentRevision()).isEqualTo(3);
      ApplyResult res = f.apply(StoreFixture.revoke(9));
      assertThat(res).isInstanceOf(ApplyResult.Ok.class);
      ApplyResult.Ok ok = (ApplyResult.Ok) res;
      assertThat(((LeaseRevokeResponse) ok.response()).getHeader().getRevision()).isEqualTo(4);
      List<Event> events = ok.events();
      assertThat(events).extracting(e -> e.getKv().getKey()).containsExactly(b("a"), b("b"));
      assertThat(events).allMatch(e -> e.getKv().getModRevision() == 4);
      assertThat(f.get("c")).isNotNull();
      assertThat(f.store.lease(9)).isNull();
      assertThat(f.fails(StoreFixture.revoke(9))).isEqualTo(MvccError.LEASE_NOT_FOUND);
      assertThat(
              f.fails(StoreFixture.put(PutRequest.newBuilder().setKey(b("d")).setLease(9).build())))
          .isEqualTo(MvccError.LEASE_NOT_FOUND);
    }
  }

  @Test
  void revokingALeaseWithoutKeysKeepsTheRevision() {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.ok(StoreFixture.grant(1, 30));
      ApplyResult.Ok ok = (ApplyResult.Ok) f.apply(StoreFixture.revoke(1));
      assertThat(ok.events()).isEmpty();
      assertThat(f.store.currentRevision()).isEqualTo(1);
    }
  }

  @Test
  void aCheckpointStoresTheRemainingTtlOfLeasesThatStillExist() {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.ok(StoreFixture.grant(4, 600));
      f.ok(
          io.pekkoetcd.protocol.internal.InternalRaftRequest.newBuilder()
              .setLeaseCheckpoint(
                  io.pekkoetcd.protocol.etcdserverpb.LeaseCheckpointRequest.newBuilder()
                      .addCheckpoints(
                          io.pekkoetcd.protocol.etcdserverpb.LeaseCheckpoint.newBuilder()
                              .setID(4)
                              .setRemainingTTL(300))
                      .addCheckpoints(
                          io.pekkoetcd.protocol.etcdserverpb.LeaseCheckpoint.newBuilder()
                              .setID(5)
                              .setRemainingTTL(9)))
              .build());
      assertThat(f.store.leases()).containsExactly(new StoredLease(4, 600, 300));
      f.reopen();
      assertThat(f.store.lease(4)).isEqualTo(new StoredLease(4, 600, 300));
      assertThat(f.store.currentRevision()).isEqualTo(1);
    }
  }
}
