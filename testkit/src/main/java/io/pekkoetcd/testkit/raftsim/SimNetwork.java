package io.pekkoetcd.testkit.raftsim;

import io.pekkoetcd.raft.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A bag of messages in flight. Delivery picks a random one (so messages are delayed and reordered),
 * and may lose or duplicate it; a partition loses every message crossing it at delivery time.
 * Deterministic given its random.
 */
final class SimNetwork {

  private static final int CAPACITY = 4096;

  private final ArrayList<Message> inFlight = new ArrayList<>();
  private final SplittableRandom random;

  /** Members on the minority side of the current partition; empty when healed. */
  private final Set<Long> isolated = new HashSet<>();

  SimNetwork(SplittableRandom random) {
    this.random = random;
  }

  void send(Message m) {
    if (inFlight.size() >= CAPACITY) {
      removeAt(random.nextInt(inFlight.size())); // congestion: something old is lost
    }
    inFlight.add(m);
  }

  int size() {
    return inFlight.size();
  }

  /** Removes and returns a random message, or null if none. Does not apply loss or partitions. */
  Message takeRandom() {
    if (inFlight.isEmpty()) {
      return null;
    }
    return removeAt(random.nextInt(inFlight.size()));
  }

  /** Removes and returns the oldest message, or null (orderly delivery for the liveness phase). */
  Message takeOldest() {
    return inFlight.isEmpty() ? null : inFlight.remove(0);
  }

  private Message removeAt(int i) {
    Message m = inFlight.get(i);
    int last = inFlight.size() - 1;
    inFlight.set(i, inFlight.get(last));
    inFlight.remove(last);
    return m;
  }

  boolean blocked(Message m) {
    return isolated.contains(m.from()) != isolated.contains(m.to());
  }

  void partition(Set<Long> minority) {
    isolated.clear();
    isolated.addAll(minority);
  }

  void heal() {
    isolated.clear();
  }

  boolean partitioned() {
    return !isolated.isEmpty();
  }

  Set<Long> isolated() {
    return isolated;
  }
}
