package io.pekkoetcd.mvcc;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which existing keys are attached to which lease (at the current revision), for lease revoke and
 * TimeToLive. In memory, rebuilt on open from the latest put of each key. Not thread-safe.
 */
final class LeaseIndex {

  private final Map<ByteString, Long> leaseOfKey = new HashMap<>();
  private final Map<Long, Set<ByteString>> keysOfLease = new HashMap<>();

  /** A put of {@code key} with {@code lease} (0 = none): detaches it from its previous lease. */
  void put(ByteString key, long lease) {
    Long old = lease != 0 ? leaseOfKey.put(key, lease) : leaseOfKey.remove(key);
    if (old != null && old != lease) {
      detach(old, key);
    }
    if (lease != 0) {
      keysOfLease.computeIfAbsent(lease, l -> new HashSet<>()).add(key);
    }
  }

  void delete(ByteString key) {
    Long old = leaseOfKey.remove(key);
    if (old != null) {
      detach(old, key);
    }
  }

  private void detach(long lease, ByteString key) {
    Set<ByteString> keys = keysOfLease.get(lease);
    if (keys != null) {
      keys.remove(key);
      if (keys.isEmpty()) {
        keysOfLease.remove(lease);
      }
    }
  }

  Set<ByteString> keys(long lease) {
    Set<ByteString> keys = keysOfLease.get(lease);
    return keys == null ? Set.of() : Set.copyOf(keys);
  }
}
