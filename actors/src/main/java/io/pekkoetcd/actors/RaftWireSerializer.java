package io.pekkoetcd.actors;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pekkoetcd.protocol.raft.MemberAttributes;
import io.pekkoetcd.protocol.raft.RaftEnvelope;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Serializes what {@link PeerTransport}s send each other: Raft messages as {@code pekkoetcd.raft.RaftEnvelope}
 * (through {@link RaftWire}) and member attributes, both protobuf. Bound in {@code pekko-etcd-peers.conf}.
 */
public final class RaftWireSerializer extends SerializerWithStringManifest {
  /** Pekko reserves 0–40 for itself. */
  static final int IDENTIFIER = 7301;

  private static final String RAFT = "R";
  private static final String ATTRIBUTES = "A";

  public RaftWireSerializer(ExtendedActorSystem system) {}

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof PeerTransport.FromPeer) {
      return RAFT;
    }
    if (o instanceof PeerTransport.PeerAttributes) {
      return ATTRIBUTES;
    }
    throw new IllegalArgumentException("cannot serialize " + o.getClass());
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof PeerTransport.FromPeer f) {
      return RaftWire.toProto(f.message()).toBuilder().setClusterId(f.clusterId()).build().toByteArray();
    }
    if (o instanceof PeerTransport.PeerAttributes a) {
      return MemberAttributes.newBuilder()
          .setClusterId(a.clusterId())
          .setId(a.memberId())
          .setName(a.name())
          .addAllClientUrls(a.clientUrls())
          .build()
          .toByteArray();
    }
    throw new IllegalArgumentException("cannot serialize " + o.getClass());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      return switch (manifest) {
        case RAFT -> {
          RaftEnvelope e = RaftEnvelope.parseFrom(bytes);
          yield new PeerTransport.FromPeer(e.getClusterId(), RaftWire.fromProto(e));
        }
        case ATTRIBUTES -> {
          MemberAttributes a = MemberAttributes.parseFrom(bytes);
          yield new PeerTransport.PeerAttributes(a.getClusterId(), a.getId(), a.getName(), a.getClientUrlsList());
        }
        default -> throw new NotSerializableException("unknown manifest " + manifest);
      };
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      NotSerializableException n = new NotSerializableException(e.getMessage());
      n.initCause(e);
      throw n;
    }
  }
}
