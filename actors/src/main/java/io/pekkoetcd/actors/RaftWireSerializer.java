package io.pekkoetcd.actors;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.pekkoetcd.actors.metrics.MemberMetrics;
import io.pekkoetcd.protocol.raft.ClusterJoinAnswer;
import io.pekkoetcd.protocol.raft.ClusterJoinQuery;
import io.pekkoetcd.protocol.raft.LeaseAnswer;
import io.pekkoetcd.protocol.raft.LeaseForward;
import io.pekkoetcd.protocol.raft.MemberAttributes;
import io.pekkoetcd.protocol.raft.PeerHashKV;
import io.pekkoetcd.protocol.raft.PeerHashKVAnswer;
import io.pekkoetcd.protocol.raft.PeerRemoved;
import io.pekkoetcd.protocol.raft.RaftEnvelope;
import io.pekkoetcd.protocol.raft.ReconfigQuery;
import io.pekkoetcd.protocol.raft.ReconfigVerdict;
import io.pekkoetcd.protocol.raft.SnapshotAck;
import io.pekkoetcd.protocol.raft.SnapshotChunk;
import io.pekkoetcd.raft.Message;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Serializes what members send each other: Raft messages as {@code pekkoetcd.raft.RaftEnvelope}
 * (through {@link RaftWire}), member attributes, and MVCC snapshot chunks and their acks ({@code
 * pekkoetcd/snapshot.proto}), lease keep-alives and TimeToLive forwarded to the leader and their
 * answers ({@code pekkoetcd/lease.proto}), a joining member's membership query and its answer, and
 * the notice to a removed member ({@code pekkoetcd/membership.proto}), all protobuf. Bound in
 * {@code pekko-etcd-peers.conf}.
 */
public final class RaftWireSerializer extends SerializerWithStringManifest {
  /** Pekko reserves 0–40 for itself. */
  static final int IDENTIFIER = 7301;

  private static final String RAFT = "R";
  private static final String ATTRIBUTES = "A";
  private static final String CHUNK = "C";
  private static final String ACK = "K";
  private static final String LEASE_FORWARD = "L";
  private static final String LEASE_ANSWER = "M";
  private static final String JOIN_QUERY = "J";
  private static final String JOIN_ANSWER = "N";
  private static final String REMOVED = "X";
  private static final String RECONFIG_QUERY = "Q";
  private static final String RECONFIG_ANSWER = "V";
  private static final String HASH_QUERY = "H";
  private static final String HASH_ANSWER = "I";

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public RaftWireSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  /** Created on first use: extensions are not to be started from a serializer's constructor. */
  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }

  private volatile MemberMetrics metrics;

  /**
   * Created on first use, as the resolver: etcd's peer traffic counters; none without an actor
   * system (a serializer made by a test).
   */
  private MemberMetrics metrics() {
    MemberMetrics m = metrics;
    if (m == null) {
      m = system == null ? MemberMetrics.detached() : MemberMetrics.get(system);
      metrics = m;
    }
    return m;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof RaftNode.FromPeer) {
      return RAFT;
    }
    if (o instanceof PeerTransport.PeerAttributes) {
      return ATTRIBUTES;
    }
    if (o instanceof SnapshotReceiver.Chunk) {
      return CHUNK;
    }
    if (o instanceof SnapshotSender.Ack) {
      return ACK;
    }
    if (o instanceof LeaseActor.Forwarded) {
      return LEASE_FORWARD;
    }
    if (o instanceof LeaseActor.Answer) {
      return LEASE_ANSWER;
    }
    if (o instanceof PeerTransport.JoinQuery) {
      return JOIN_QUERY;
    }
    if (o instanceof PeerTransport.JoinAnswer) {
      return JOIN_ANSWER;
    }
    if (o instanceof PeerTransport.Removed) {
      return REMOVED;
    }
    if (o instanceof RaftNode.CheckReconfig) {
      return RECONFIG_QUERY;
    }
    if (o instanceof RaftNode.ReconfigAnswer) {
      return RECONFIG_ANSWER;
    }
    if (o instanceof KvActor.PeerHashKV) {
      return HASH_QUERY;
    }
    if (o instanceof KvActor.PeerHashKVAnswer) {
      return HASH_ANSWER;
    }
    throw new IllegalArgumentException("cannot serialize " + o.getClass());
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof RaftNode.FromPeer f) {
      byte[] bytes =
          RaftWire.toProto(f.message()).toBuilder()
              .setClusterId(f.clusterId())
              .build()
              .toByteArray();
      metrics().peerSent(f.message().to(), bytes.length);
      return bytes;
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
    if (o instanceof SnapshotReceiver.Chunk c) {
      return SnapshotChunk.newBuilder()
          .setTransferId(c.transferId())
          .setMsgSnap(RaftWire.toProto(c.msgSnap()).toBuilder().setClusterId(c.clusterId()))
          .setSeq(c.seq())
          .setData(UnsafeByteOperations.unsafeWrap(c.data()))
          .setLast(c.last())
          .setTotalBytes(c.totalBytes())
          .setCrc32C(c.crc32c())
          .setReplyTo(resolver().toSerializationFormat(c.replyTo()))
          .build()
          .toByteArray();
    }
    if (o instanceof SnapshotSender.Ack a) {
      return SnapshotAck.newBuilder()
          .setTransferId(a.transferId())
          .setSeq(a.seq())
          .setDone(a.done())
          .setError(a.error())
          .build()
          .toByteArray();
    }
    if (o instanceof LeaseActor.Forwarded f) {
      return LeaseForward.newBuilder()
          .setClusterId(f.clusterId())
          .setKeepAlive(f.keepAlive())
          .setId(f.id())
          .setReplyTo(resolver().toSerializationFormat(f.replyTo()))
          .build()
          .toByteArray();
    }
    if (o instanceof LeaseActor.Answer a) {
      return LeaseAnswer.newBuilder()
          .setId(a.id())
          .setTtl(a.ttl())
          .setGrantedTtl(a.grantedTtl())
          .setRevision(a.revision())
          .setTerm(a.term())
          .setError(a.error() == null ? "" : a.error().name())
          .build()
          .toByteArray();
    }
    if (o instanceof PeerTransport.JoinQuery q) {
      return ClusterJoinQuery.newBuilder()
          .setReplyTo(resolver().toSerializationFormat(q.replyTo()))
          .build()
          .toByteArray();
    }
    if (o instanceof PeerTransport.JoinAnswer a) {
      return ClusterJoinAnswer.newBuilder()
          .setClusterId(a.clusterId())
          .setMembership(a.membership())
          .build()
          .toByteArray();
    }
    if (o instanceof RaftNode.CheckReconfig c) {
      return ReconfigQuery.newBuilder()
          .setChange(c.change())
          .setReplyTo(resolver().toSerializationFormat(c.replyTo()))
          .build()
          .toByteArray();
    }
    if (o instanceof RaftNode.ReconfigAnswer a) {
      return ReconfigVerdict.newBuilder()
          .setError(a.error() == null ? "" : a.error().name())
          .build()
          .toByteArray();
    }
    if (o instanceof KvActor.PeerHashKV h) {
      return PeerHashKV.newBuilder()
          .setRevision(h.revision())
          .setReplyTo(resolver().toSerializationFormat(h.replyTo()))
          .build()
          .toByteArray();
    }
    if (o instanceof KvActor.PeerHashKVAnswer a) {
      PeerHashKVAnswer.Builder b = PeerHashKVAnswer.newBuilder();
      if (a.response() != null) {
        b.setResponse(a.response());
      }
      return b.setError(a.error() == null ? "" : a.error().name()).build().toByteArray();
    }
    if (o instanceof PeerTransport.Removed r) {
      return PeerRemoved.newBuilder()
          .setClusterId(r.clusterId())
          .setMemberId(r.memberId())
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
          Message m = RaftWire.fromProto(e);
          metrics().peerReceived(m.from(), bytes.length);
          yield new RaftNode.FromPeer(e.getClusterId(), m);
        }
        case ATTRIBUTES -> {
          MemberAttributes a = MemberAttributes.parseFrom(bytes);
          yield new PeerTransport.PeerAttributes(
              a.getClusterId(), a.getId(), a.getName(), a.getClientUrlsList());
        }
        case CHUNK -> {
          SnapshotChunk c = SnapshotChunk.parseFrom(bytes);
          if (!(RaftWire.fromProto(c.getMsgSnap()) instanceof Message.MsgSnap snap)) {
            throw new NotSerializableException("snapshot chunk without MsgSnap");
          }
          yield new SnapshotReceiver.Chunk(
              c.getMsgSnap().getClusterId(),
              c.getTransferId(),
              snap,
              c.getSeq(),
              c.getData().toByteArray(),
              c.getLast(),
              c.getTotalBytes(),
              c.getCrc32C(),
              resolver().<SnapshotSender.Command>resolveActorRef(c.getReplyTo()));
        }
        case ACK -> {
          SnapshotAck a = SnapshotAck.parseFrom(bytes);
          yield new SnapshotSender.Ack(a.getTransferId(), a.getSeq(), a.getDone(), a.getError());
        }
        case LEASE_FORWARD -> {
          LeaseForward f = LeaseForward.parseFrom(bytes);
          yield new LeaseActor.Forwarded(
              f.getClusterId(),
              f.getKeepAlive(),
              f.getId(),
              resolver().<LeaseActor.Answer>resolveActorRef(f.getReplyTo()));
        }
        case LEASE_ANSWER -> {
          LeaseAnswer a = LeaseAnswer.parseFrom(bytes);
          yield new LeaseActor.Answer(
              a.getId(),
              a.getTtl(),
              a.getGrantedTtl(),
              a.getRevision(),
              a.getTerm(),
              a.getError().isEmpty() ? null : ServerError.valueOf(a.getError()));
        }
        case JOIN_QUERY ->
            new PeerTransport.JoinQuery(
                resolver()
                    .<PeerTransport.JoinAnswer>resolveActorRef(
                        ClusterJoinQuery.parseFrom(bytes).getReplyTo()));
        case JOIN_ANSWER -> {
          ClusterJoinAnswer a = ClusterJoinAnswer.parseFrom(bytes);
          yield new PeerTransport.JoinAnswer(a.getClusterId(), a.getMembership());
        }
        case RECONFIG_QUERY -> {
          ReconfigQuery q = ReconfigQuery.parseFrom(bytes);
          yield new RaftNode.CheckReconfig(
              q.getChange(), resolver().<RaftNode.ReconfigAnswer>resolveActorRef(q.getReplyTo()));
        }
        case RECONFIG_ANSWER -> {
          String e = ReconfigVerdict.parseFrom(bytes).getError();
          yield new RaftNode.ReconfigAnswer(e.isEmpty() ? null : ServerError.valueOf(e));
        }
        case REMOVED -> {
          PeerRemoved r = PeerRemoved.parseFrom(bytes);
          yield new PeerTransport.Removed(r.getClusterId(), r.getMemberId());
        }
        case HASH_QUERY -> {
          PeerHashKV h = PeerHashKV.parseFrom(bytes);
          yield new KvActor.PeerHashKV(
              h.getRevision(),
              resolver().<KvActor.PeerHashKVAnswer>resolveActorRef(h.getReplyTo()));
        }
        case HASH_ANSWER -> {
          PeerHashKVAnswer a = PeerHashKVAnswer.parseFrom(bytes);
          yield new KvActor.PeerHashKVAnswer(
              a.hasResponse() ? a.getResponse() : null,
              a.getError().isEmpty() ? null : io.pekkoetcd.mvcc.MvccError.valueOf(a.getError()));
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
