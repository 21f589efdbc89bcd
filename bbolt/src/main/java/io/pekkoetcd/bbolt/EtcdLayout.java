package io.pekkoetcd.bbolt;

import java.nio.charset.StandardCharsets;

/**
 * etcd 3.4's backend layout inside the bbolt file (what {@code etcdctl snapshot status} and {@code
 * snapshot restore} read):
 *
 * <pre>
 *   key              main(8, BE) '_' sub(8, BE) [+ 't' for a tombstone] → mvccpb.KeyValue
 *                    (a tombstone's KeyValue holds only the key)
 *   meta             consistent_index → u64 BE; finishedCompactRev / scheduledCompactRev → a
 *                    17-byte revision key {main, 0}; (3.5 adds term, confState, storageVersion)
 *   lease            lease id (8, BE) → leasepb.Lease {ID, TTL, RemainingTTL}
 *   alarm            etcdserverpb.AlarmMember → empty
 *   cluster          clusterVersion → "3.4.0"
 *   members, members_removed, auth, authUsers, authRoles
 * </pre>
 */
public final class EtcdLayout {
  private EtcdLayout() {}

  public static final byte[] KEY = bytes("key");
  public static final byte[] META = bytes("meta");
  public static final byte[] LEASE = bytes("lease");
  public static final byte[] ALARM = bytes("alarm");
  public static final byte[] CLUSTER = bytes("cluster");
  public static final byte[] MEMBERS = bytes("members");
  public static final byte[] MEMBERS_REMOVED = bytes("members_removed");
  public static final byte[] AUTH = bytes("auth");
  public static final byte[] AUTH_USERS = bytes("authUsers");
  public static final byte[] AUTH_ROLES = bytes("authRoles");

  public static final byte[] CONSISTENT_INDEX = bytes("consistent_index");
  public static final byte[] FINISHED_COMPACT_REV = bytes("finishedCompactRev");
  public static final byte[] SCHEDULED_COMPACT_REV = bytes("scheduledCompactRev");
  public static final byte[] CLUSTER_VERSION = bytes("clusterVersion");

  /** The length of a revision key (a tombstone's has one more byte, {@code 't'}). */
  public static final int REV_BYTES = 17;

  private static final byte MARK_TOMBSTONE = 't';

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** etcd's {@code revToBytes} (+ 't' when {@code tombstone}). */
  public static byte[] revisionKey(long main, long sub, boolean tombstone) {
    byte[] k = new byte[tombstone ? REV_BYTES + 1 : REV_BYTES];
    putLongBE(k, 0, main);
    k[8] = '_';
    putLongBE(k, 9, sub);
    if (tombstone) {
      k[REV_BYTES] = MARK_TOMBSTONE;
    }
    return k;
  }

  public static boolean isRevisionKey(byte[] k) {
    return (k.length == REV_BYTES || k.length == REV_BYTES + 1 && k[REV_BYTES] == MARK_TOMBSTONE)
        && k[8] == '_';
  }

  public static long mainOf(byte[] revisionKey) {
    return longBE(revisionKey, 0);
  }

  public static long subOf(byte[] revisionKey) {
    return longBE(revisionKey, 9);
  }

  public static boolean isTombstone(byte[] revisionKey) {
    return revisionKey.length == REV_BYTES + 1 && revisionKey[REV_BYTES] == MARK_TOMBSTONE;
  }

  public static byte[] u64BE(long v) {
    byte[] b = new byte[8];
    putLongBE(b, 0, v);
    return b;
  }

  public static long longBE(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  public static void putLongBE(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
