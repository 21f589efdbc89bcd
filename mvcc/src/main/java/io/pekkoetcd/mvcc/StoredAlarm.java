package io.pekkoetcd.mvcc;

/**
 * An active alarm as etcd's alarm bucket keeps it: the member that raised it and the alarm type
 * (etcd's {@code AlarmType} number: 1 NOSPACE, 2 CORRUPT). Sticky: written in the batch of the
 * entry that activated it, deleted in the batch of the entry that deactivated it.
 */
public record StoredAlarm(long memberId, int type) implements Comparable<StoredAlarm> {
  public static final int NOSPACE = 1;
  public static final int CORRUPT = 2;

  @Override
  public int compareTo(StoredAlarm o) {
    int c = Long.compareUnsigned(memberId, o.memberId);
    return c != 0 ? c : Integer.compare(type, o.type);
  }
}
