package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.protocol.raft.RaftEnvelope;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.MessageType;
import io.pekkoetcd.raft.Snapshot;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every raft-core message survives raft-core → proto → bytes → proto → raft-core, and the
 * serializer.
 */
class RaftWireTest {
  static final long A =
      0x8e9e05c52164694dL; // an etcd-style member ID, above Long.MAX_VALUE as unsigned
  static final long B = 0x2L;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final List<Entry> ENTRIES =
      List.of(
          new Entry(3, 7, EntryType.NORMAL, b("put k v")),
          new Entry(3, 8, EntryType.CONF_CHANGE, b("conf")),
          new Entry(4, 9, EntryType.NORMAL, new byte[0]));

  static List<Message> everyMessage() {
    return List.of(
        new Message.MsgApp(A, B, 4, 3, 6, ENTRIES, 8),
        new Message.MsgApp(A, B, 4, 3, 6, List.of(), 0),
        new Message.MsgAppResp(B, A, 4, 9, false, 0, 0),
        new Message.MsgAppResp(B, A, 4, 6, true, 5, 2),
        new Message.MsgVote(A, B, 5, 4, 9, true),
        new Message.MsgVoteResp(B, A, 5, true),
        new Message.MsgPreVote(A, B, 6, 4, 9, false),
        new Message.MsgPreVoteResp(B, A, 6, false),
        new Message.MsgHeartbeat(A, B, 4, 8, b("ctx")),
        new Message.MsgHeartbeatResp(B, A, 4, new byte[0]),
        new Message.MsgSnap(
            A,
            B,
            4,
            new Snapshot(100, 3, new ConfState(Set.of(A, B), Set.of(3L)), b("mvcc image"))),
        new Message.MsgProp(B, A, 0, ENTRIES),
        new Message.MsgReadIndex(B, A, 0, b("\0\0\0\0\0\0\0\1")),
        new Message.MsgReadIndexResp(A, B, 4, 8, b("\0\0\0\0\0\0\0\1")),
        new Message.MsgTimeoutNow(A, B, 4),
        new Message.MsgTransferLeader(B, A, 0, B));
  }

  @Test
  void everyMessageTypeRoundTrips() throws Exception {
    EnumSet<MessageType> seen = EnumSet.noneOf(MessageType.class);
    for (Message m : everyMessage()) {
      RaftEnvelope wire = RaftEnvelope.parseFrom(RaftWire.toProto(m).toByteArray());
      assertThat(wire.getFrom()).isEqualTo(m.from());
      assertThat(wire.getTo()).isEqualTo(m.to());
      assertThat(wire.getTerm()).isEqualTo(m.term());
      assertSame(RaftWire.fromProto(wire), m);
      seen.add(m.type());
    }
    assertThat(seen).isEqualTo(EnumSet.allOf(MessageType.class));
  }

  @Test
  void serializerRoundTripsRaftMessagesAndAttributes() throws Exception {
    RaftWireSerializer s = new RaftWireSerializer(null);
    for (Message m : everyMessage()) {
      RaftNode.FromPeer f = new RaftNode.FromPeer(0xcdf818194e3a8c32L, m);
      RaftNode.FromPeer back = (RaftNode.FromPeer) s.fromBinary(s.toBinary(f), s.manifest(f));
      assertThat(back.clusterId()).isEqualTo(0xcdf818194e3a8c32L);
      assertSame(back.message(), m);
    }
    PeerTransport.PeerAttributes a =
        new PeerTransport.PeerAttributes(
            0xcdf818194e3a8c32L, A, "infra1", List.of("http://127.0.0.1:2379"));
    assertThat(s.fromBinary(s.toBinary(a), s.manifest(a))).isEqualTo(a);
    // a peer's HashKV for the corruption check: an answer, or the store's error
    KvActor.PeerHashKVAnswer hashed =
        new KvActor.PeerHashKVAnswer(
            io.pekkoetcd.protocol.etcdserverpb.HashKVResponse.newBuilder()
                .setHash(-5)
                .setCompactRevision(3)
                .build(),
            null);
    assertThat(s.fromBinary(s.toBinary(hashed), s.manifest(hashed))).isEqualTo(hashed);
    KvActor.PeerHashKVAnswer failed =
        new KvActor.PeerHashKVAnswer(null, io.pekkoetcd.mvcc.MvccError.FUTURE_REV);
    assertThat(s.fromBinary(s.toBinary(failed), s.manifest(failed))).isEqualTo(failed);
    assertThatThrownBy(() -> s.fromBinary(new byte[] {1, 2}, "?"))
        .isInstanceOf(NotSerializableException.class);
    assertThatThrownBy(() -> s.fromBinary(new byte[0], "R"))
        .isInstanceOf(NotSerializableException.class);
  }

  /**
   * Records compare arrays by reference; compare their printed form and the byte arrays by content.
   */
  private static void assertSame(Message actual, Message expected) {
    assertThat(actual.getClass()).isEqualTo(expected.getClass());
    assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
  }
}
