package io.pekkoetcd.actors.apply;

import static io.pekkoetcd.actors.apply.StoreFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.StoredAlarm;
import io.pekkoetcd.protocol.etcdserverpb.AlarmRequest;
import io.pekkoetcd.protocol.etcdserverpb.AlarmResponse;
import io.pekkoetcd.protocol.etcdserverpb.AlarmType;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alarms applied as etcd's alarm store and capped applier: ACTIVATE answers only a new alarm,
 * DEACTIVATE only an active one; while NOSPACE is active Put, a Txn with a Put and LeaseGrant fail
 * with NO_SPACE and deletes still apply; the alarm survives a reopen.
 */
class AlarmOpsTest {
  @TempDir Path dir;

  private static InternalRaftRequest alarm(AlarmRequest.AlarmAction action, long member) {
    return InternalRaftRequest.newBuilder()
        .setAlarm(
            AlarmRequest.newBuilder()
                .setAction(action)
                .setMemberID(member)
                .setAlarm(member == 0 ? AlarmType.NONE : AlarmType.NOSPACE))
        .build();
  }

  private static InternalRaftRequest put(String k) {
    return InternalRaftRequest.newBuilder()
        .setPut(PutRequest.newBuilder().setKey(b(k)).setValue(b("v")))
        .build();
  }

  @Test
  void noSpaceCapsWritesUntilDeactivated() {
    try (StoreFixture f = new StoreFixture(dir)) {
      f.ok(put("a"));
      AlarmResponse on = (AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.ACTIVATE, 7));
      assertThat(on.getAlarmsList()).hasSize(1);
      assertThat(
              ((AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.ACTIVATE, 7))).getAlarmsList())
          .isEmpty();
      assertThat(f.fails(put("b"))).isEqualTo(MvccError.NO_SPACE);
      assertThat(
              f.fails(
                  InternalRaftRequest.newBuilder()
                      .setTxn(
                          TxnRequest.newBuilder()
                              .addFailure(
                                  RequestOp.newBuilder()
                                      .setRequestPut(
                                          PutRequest.newBuilder().setKey(b("c")).setValue(b("v")))))
                      .build()))
          .isEqualTo(MvccError.NO_SPACE);
      assertThat(f.fails(StoreFixture.grant(5, 10))).isEqualTo(MvccError.NO_SPACE);
      f.ok(
          InternalRaftRequest.newBuilder()
              .setDeleteRange(DeleteRangeRequest.newBuilder().setKey(b("a")))
              .build());

      f.reopen();
      assertThat(f.store.alarms()).containsExactly(new StoredAlarm(7, StoredAlarm.NOSPACE));
      AlarmResponse all = (AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.GET, 0));
      assertThat(all.getAlarms(0).getMemberID()).isEqualTo(7);
      assertThat(all.getAlarms(0).getAlarm()).isEqualTo(AlarmType.NOSPACE);
      assertThat(f.fails(put("b"))).isEqualTo(MvccError.NO_SPACE);

      AlarmResponse off = (AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.DEACTIVATE, 7));
      assertThat(off.getAlarmsList()).hasSize(1);
      assertThat(
              ((AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.DEACTIVATE, 7))).getAlarmsList())
          .isEmpty();
      f.ok(put("b"));
      assertThat(f.store.alarms()).isEmpty();
    }
  }

  @Test
  void costsAsEtcdsQuota() {
    assertThat(Quota.cost(put("ab"))).isEqualTo(256 + 2 + 1);
    assertThat(Quota.cost(StoreFixture.grant(1, 10))).isEqualTo(64);
    assertThat(Quota.available(1000, 0, 10)).isTrue();
    assertThat(Quota.available(100, 10, 111)).isTrue();
    assertThat(Quota.available(100, 11, 111)).isFalse();
  }
}
