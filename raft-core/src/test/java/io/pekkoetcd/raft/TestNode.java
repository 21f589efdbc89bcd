package io.pekkoetcd.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A RawNode with its MemoryRaftStorage and the caller's Ready loop (persist, collect messages,
 * apply).
 */
final class TestNode {

  final MemoryRaftStorage storage;
  final RawNode raw;
  final List<Entry> applied = new ArrayList<>();
  final List<ReadState> readStates = new ArrayList<>();

  TestNode(long id, MemoryRaftStorage storage, boolean preVote, boolean checkQuorum) {
    this.storage = storage;
    this.raw =
        new RawNode(
            new RaftConfig(
                id, 10, 1, 1024 * 1024, 256, 0, preVote, checkQuorum, new SplittableRandom(id)),
            storage);
  }

  static TestNode bootstrapped(long id, Long... voters) {
    return new TestNode(id, MemoryRaftStorage.bootstrap(ConfState.ofVoters(voters)), false, false);
  }

  /** Handles every pending Ready; returns the messages to send. */
  List<Message> drain() {
    List<Message> out = new ArrayList<>();
    while (raw.hasReady()) {
      Ready rd = raw.ready();
      rd.snapshot().ifPresent(storage::applySnapshot);
      storage.append(rd.entries());
      rd.hardState().ifPresent(storage::setHardState);
      out.addAll(rd.messages());
      for (Entry e : rd.committedEntries()) {
        applied.add(e);
        if (e.type() == EntryType.CONF_CHANGE) {
          raw.applyConfChange(ConfChange.decode(e.data()));
        }
      }
      readStates.addAll(rd.readStates());
      raw.advance(rd);
    }
    return out;
  }

  Role role() {
    return raw.softState().role();
  }

  long term() {
    return raw.hardState().term();
  }

  long commit() {
    return raw.hardState().commit();
  }
}
