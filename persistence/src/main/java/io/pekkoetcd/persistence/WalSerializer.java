package io.pekkoetcd.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pekkoetcd.protocol.wal.EntriesAppended;
import io.pekkoetcd.protocol.wal.HardState;
import io.pekkoetcd.protocol.wal.WalState;
import java.io.NotSerializableException;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Serializes the WAL's journal events and state snapshots as protobuf ({@code pekkoetcd/wal.proto}
 * over {@code pekkoetcd/raft.proto}, through {@link RaftProtos}). Bound to {@link WalSerializable}
 * in this module's {@code reference.conf}. The manifests and field numbers are the on-disk format
 * of a member's WAL: never reuse one.
 */
public final class WalSerializer extends SerializerWithStringManifest {
  /** Pekko reserves 0–40; 7301 is the peer wire format's. */
  static final int IDENTIFIER = 7302;

  private static final String HARD_STATE_SET = "H";
  private static final String ENTRIES_APPENDED = "E";
  private static final String LOG_COMPACTED = "C";
  private static final String SNAPSHOT_SAVED = "S";
  private static final String STATE = "W";

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof WalEvent.EntriesAppended) {
      return ENTRIES_APPENDED;
    }
    if (o instanceof WalEvent.HardStateSet) {
      return HARD_STATE_SET;
    }
    if (o instanceof WalEvent.LogCompacted) {
      return LOG_COMPACTED;
    }
    if (o instanceof WalEvent.SnapshotSaved) {
      return SNAPSHOT_SAVED;
    }
    if (o instanceof RaftLogSnapshot) {
      return STATE;
    }
    throw new IllegalArgumentException("not a WAL object: " + o.getClass());
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof WalEvent.EntriesAppended e) {
      return EntriesAppended.newBuilder()
          .addAllEntries(RaftProtos.entriesToProto(e.entries()))
          .build()
          .toByteArray();
    }
    if (o instanceof WalEvent.HardStateSet e) {
      return RaftProtos.toProto(e.hardState()).toByteArray();
    }
    if (o instanceof WalEvent.LogCompacted e) {
      return RaftProtos.toProto(e.point()).toByteArray();
    }
    if (o instanceof WalEvent.SnapshotSaved e) {
      return RaftProtos.toProto(e.point()).toByteArray();
    }
    if (o instanceof RaftLogSnapshot s) {
      return WalState.newBuilder()
          .setHardState(RaftProtos.toProto(s.hardState()))
          .setStart(RaftProtos.toProto(s.start()))
          .addAllEntries(RaftProtos.entriesToProto(s.entries()))
          .build()
          .toByteArray();
    }
    throw new IllegalArgumentException("not a WAL object: " + o.getClass());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      return switch (manifest) {
        case ENTRIES_APPENDED ->
            new WalEvent.EntriesAppended(
                RaftProtos.entriesFromProto(EntriesAppended.parseFrom(bytes).getEntriesList()));
        case HARD_STATE_SET ->
            new WalEvent.HardStateSet(RaftProtos.fromProto(HardState.parseFrom(bytes)));
        case LOG_COMPACTED ->
            new WalEvent.LogCompacted(
                RaftProtos.fromProto(io.pekkoetcd.protocol.raft.Snapshot.parseFrom(bytes)));
        case SNAPSHOT_SAVED ->
            new WalEvent.SnapshotSaved(
                RaftProtos.fromProto(io.pekkoetcd.protocol.raft.Snapshot.parseFrom(bytes)));
        case STATE -> {
          WalState s = WalState.parseFrom(bytes);
          yield new RaftLogSnapshot(
              RaftProtos.fromProto(s.getHardState()),
              RaftProtos.fromProto(s.getStart()),
              RaftProtos.entriesFromProto(s.getEntriesList()));
        }
        default -> throw new NotSerializableException("unknown WAL manifest " + manifest);
      };
    } catch (InvalidProtocolBufferException e) {
      NotSerializableException failure =
          new NotSerializableException("corrupt WAL record (" + manifest + "): " + e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }
}
