package io.pekkoetcd.mvcc;

import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * etcd's {@code Maintenance.Hash}: a CRC-32C (Castagnoli, as etcd's {@code backend.Hash}) over the
 * whole backend, every record's key then value in key order, but for the consistent index (etcd
 * ignores it too: it is where this member's Raft log stands, not the data). Members that applied
 * the same entries have the same hash; unlike HashKV it also covers leases, alarms, membership and
 * the meta records. The value is ours, not etcd's (the backends differ): compare it between
 * pekko-etcd members only. Blocking I/O, any thread.
 */
public final class BackendHash {
  private BackendHash() {}

  /** The hash of {@code export}'s image; reads it to the end, does not close it. */
  public static int of(MvccExport export) throws IOException {
    CRC32C crc = new CRC32C();
    ExportRecords records = ExportRecords.open(export);
    while (records.next()) {
      if (Arrays.equals(records.key(), Backend.META_CONSISTENT_INDEX)) {
        continue;
      }
      crc.update(records.key());
      crc.update(records.value());
    }
    return (int) crc.getValue();
  }
}
