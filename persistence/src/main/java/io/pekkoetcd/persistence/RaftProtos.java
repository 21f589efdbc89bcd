package io.pekkoetcd.persistence;

import com.google.protobuf.UnsafeByteOperations;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The one mapping between raft-core's entries, hard state and snapshots and their protobuf form
 * ({@code pekkoetcd/raft.proto}, {@code pekkoetcd/wal.proto}): used by the WAL's serializer and by
 * the peer wire format. Total in both directions: {@code fromProto(toProto(x))} equals {@code x}.
 *
 * <p>Data arrays are wrapped, not copied, on the way out: raft-core's contract is that an entry's
 * data is never mutated once proposed, and the WAL is on every write's path.
 */
public final class RaftProtos {
  private RaftProtos() {}

  public static io.pekkoetcd.protocol.raft.Entry toProto(Entry e) {
    return io.pekkoetcd.protocol.raft.Entry.newBuilder()
        .setTerm(e.term())
        .setIndex(e.index())
        .setType(
            e.type() == EntryType.CONF_CHANGE
                ? io.pekkoetcd.protocol.raft.EntryType.ENTRY_CONF_CHANGE
                : io.pekkoetcd.protocol.raft.EntryType.ENTRY_NORMAL)
        .setData(UnsafeByteOperations.unsafeWrap(e.data()))
        .build();
  }

  public static Entry fromProto(io.pekkoetcd.protocol.raft.Entry e) {
    EntryType type =
        switch (e.getType()) {
          case ENTRY_NORMAL -> EntryType.NORMAL;
          case ENTRY_CONF_CHANGE -> EntryType.CONF_CHANGE;
          case UNRECOGNIZED ->
              throw new IllegalArgumentException("unknown entry type " + e.getTypeValue());
        };
    return new Entry(e.getTerm(), e.getIndex(), type, e.getData().toByteArray());
  }

  public static List<io.pekkoetcd.protocol.raft.Entry> entriesToProto(List<Entry> entries) {
    List<io.pekkoetcd.protocol.raft.Entry> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(toProto(e));
    }
    return out;
  }

  public static List<Entry> entriesFromProto(List<io.pekkoetcd.protocol.raft.Entry> entries) {
    List<Entry> out = new ArrayList<>(entries.size());
    for (io.pekkoetcd.protocol.raft.Entry e : entries) {
      out.add(fromProto(e));
    }
    return out;
  }

  public static io.pekkoetcd.protocol.raft.Snapshot toProto(Snapshot s) {
    return io.pekkoetcd.protocol.raft.Snapshot.newBuilder()
        .setIndex(s.index())
        .setTerm(s.term())
        .setConfState(
            io.pekkoetcd.protocol.raft.ConfState.newBuilder()
                .addAllVoters(s.confState().voters())
                .addAllLearners(s.confState().learners()))
        .setData(UnsafeByteOperations.unsafeWrap(s.data()))
        .build();
  }

  public static Snapshot fromProto(io.pekkoetcd.protocol.raft.Snapshot s) {
    ConfState conf =
        new ConfState(
            new HashSet<>(s.getConfState().getVotersList()),
            new HashSet<>(s.getConfState().getLearnersList()));
    return new Snapshot(s.getIndex(), s.getTerm(), conf, s.getData().toByteArray());
  }

  public static io.pekkoetcd.protocol.wal.HardState toProto(HardState hs) {
    return io.pekkoetcd.protocol.wal.HardState.newBuilder()
        .setTerm(hs.term())
        .setVote(hs.vote())
        .setCommit(hs.commit())
        .build();
  }

  public static HardState fromProto(io.pekkoetcd.protocol.wal.HardState hs) {
    return new HardState(hs.getTerm(), hs.getVote(), hs.getCommit());
  }
}
