package io.pekkoetcd.mvcc;

import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * One request being applied (etcd's {@code storeTxnWrite}): every change gets revision {@code
 * beginRev + 1} with sub-revisions 0, 1, 2, … in op order. Reads inside it see earlier changes:
 * they read at {@link #readRev()}. A read-only txn is a WriteTxn that never changes anything.
 */
final class WriteTxn {
  final long beginRev;
  final List<Event> events = new ArrayList<>();

  WriteTxn(long beginRev) {
    this.beginRev = beginRev;
  }

  /** The revision reads see: the begin revision, or the new one once something changed. */
  long readRev() {
    return events.isEmpty() ? beginRev : beginRev + 1;
  }

  /** The revision of this txn's writes. */
  long writeRev() {
    return beginRev + 1;
  }

  /** The next change's revision. */
  Revision nextRevision() {
    return new Revision(beginRev + 1, events.size());
  }

  boolean changed() {
    return !events.isEmpty();
  }
}
