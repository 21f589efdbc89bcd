package io.pekkoetcd.actors.apply;

import io.pekkoetcd.mvcc.KV;
import io.pekkoetcd.mvcc.StoredAlarm;
import io.pekkoetcd.mvcc.TxnWrite;
import io.pekkoetcd.protocol.etcdserverpb.AlarmMember;
import io.pekkoetcd.protocol.etcdserverpb.AlarmRequest;
import io.pekkoetcd.protocol.etcdserverpb.AlarmResponse;
import io.pekkoetcd.protocol.etcdserverpb.AlarmType;

/**
 * etcd's alarm store, applied: an Alarm entry activates or deactivates one (member, type) in the
 * store's alarm bucket (sticky across restarts, in snapshots), or lists them. As etcd's applier:
 * ACTIVATE answers the alarm only if it was not active yet, DEACTIVATE only if it was; GET with
 * type NONE answers every alarm, otherwise those of that type; NONE is never activated.
 */
final class AlarmOps {
  private AlarmOps() {}

  static AlarmResponse apply(KV store, TxnWrite tw, AlarmRequest r) {
    // etcd 3.4 answers Alarm without a header (its gateway prints "{}" for GET)
    AlarmResponse.Builder b = AlarmResponse.newBuilder();
    StoredAlarm alarm = new StoredAlarm(r.getMemberID(), r.getAlarmValue());
    switch (r.getAction()) {
      case GET -> {
        for (StoredAlarm a : store.alarms()) {
          if (r.getAlarm() == AlarmType.NONE || a.type() == r.getAlarmValue()) {
            b.addAlarms(member(a));
          }
        }
      }
      case ACTIVATE -> {
        if (r.getAlarm() != AlarmType.NONE && !store.alarms().contains(alarm)) {
          tw.putAlarm(alarm);
          b.addAlarms(member(alarm));
        }
      }
      case DEACTIVATE -> {
        if (store.alarms().contains(alarm)) {
          tw.deleteAlarm(alarm);
          b.addAlarms(member(alarm));
        }
      }
      case UNRECOGNIZED -> {
        // an action this version does not know: nothing to do, as etcd's default branch
      }
    }
    return b.build();
  }

  static AlarmMember member(StoredAlarm a) {
    return AlarmMember.newBuilder().setMemberID(a.memberId()).setAlarmValue(a.type()).build();
  }

  /** Whether a NOSPACE alarm is active (etcd then applies through its capped applier). */
  static boolean noSpace(KV store) {
    return active(store, StoredAlarm.NOSPACE);
  }

  /** Whether a CORRUPT alarm is active (etcd then applies through its corrupt applier). */
  static boolean corrupt(KV store) {
    return active(store, StoredAlarm.CORRUPT);
  }

  private static boolean active(KV store, int type) {
    for (StoredAlarm a : store.alarms()) {
      if (a.type() == type) {
        return true;
      }
    }
    return false;
  }
}
