package io.pekkoetcd.actors;

import com.google.protobuf.ByteString;
import io.pekkoetcd.persistence.RaftProtos;
import io.pekkoetcd.protocol.raft.RaftEnvelope;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.Snapshot;
import java.util.List;

/**
 * The pure mapping between raft-core's {@link Message} records and the wire format {@code
 * pekkoetcd/raft.proto} ({@link RaftEnvelope}). Total in both directions: {@code
 * fromProto(toProto(m))} equals {@code m} for every message (byte arrays by content); an envelope
 * without a message is rejected.
 */
public final class RaftWire {
  private RaftWire() {}

  public static RaftEnvelope toProto(Message m) {
    RaftEnvelope.Builder b =
        RaftEnvelope.newBuilder().setFrom(m.from()).setTo(m.to()).setTerm(m.term());
    switch (m.type()) {
      case APP -> {
        Message.MsgApp a = (Message.MsgApp) m;
        b.setApp(
            io.pekkoetcd.protocol.raft.MsgApp.newBuilder()
                .setLogTerm(a.logTerm())
                .setIndex(a.index())
                .addAllEntries(entriesToProto(a.entries()))
                .setCommit(a.commit()));
      }
      case APP_RESP -> {
        Message.MsgAppResp r = (Message.MsgAppResp) m;
        b.setAppResp(
            io.pekkoetcd.protocol.raft.MsgAppResp.newBuilder()
                .setIndex(r.index())
                .setReject(r.reject())
                .setRejectHint(r.rejectHint())
                .setLogTerm(r.logTerm()));
      }
      case VOTE -> {
        Message.MsgVote v = (Message.MsgVote) m;
        b.setVote(
            io.pekkoetcd.protocol.raft.MsgVote.newBuilder()
                .setLogTerm(v.logTerm())
                .setIndex(v.index())
                .setTransfer(v.transfer()));
      }
      case VOTE_RESP -> {
        Message.MsgVoteResp v = (Message.MsgVoteResp) m;
        b.setVoteResp(io.pekkoetcd.protocol.raft.MsgVoteResp.newBuilder().setReject(v.reject()));
      }
      case PRE_VOTE -> {
        Message.MsgPreVote v = (Message.MsgPreVote) m;
        b.setPreVote(
            io.pekkoetcd.protocol.raft.MsgPreVote.newBuilder()
                .setLogTerm(v.logTerm())
                .setIndex(v.index())
                .setTransfer(v.transfer()));
      }
      case PRE_VOTE_RESP -> {
        Message.MsgPreVoteResp v = (Message.MsgPreVoteResp) m;
        b.setPreVoteResp(
            io.pekkoetcd.protocol.raft.MsgPreVoteResp.newBuilder().setReject(v.reject()));
      }
      case HEARTBEAT -> {
        Message.MsgHeartbeat h = (Message.MsgHeartbeat) m;
        b.setHeartbeat(
            io.pekkoetcd.protocol.raft.MsgHeartbeat.newBuilder()
                .setCommit(h.commit())
                .setContext(bytes(h.context())));
      }
      case HEARTBEAT_RESP -> {
        Message.MsgHeartbeatResp h = (Message.MsgHeartbeatResp) m;
        b.setHeartbeatResp(
            io.pekkoetcd.protocol.raft.MsgHeartbeatResp.newBuilder()
                .setContext(bytes(h.context())));
      }
      case SNAP -> {
        Message.MsgSnap s = (Message.MsgSnap) m;
        b.setSnap(
            io.pekkoetcd.protocol.raft.MsgSnap.newBuilder()
                .setSnapshot(snapshotToProto(s.snapshot())));
      }
      case PROP -> {
        Message.MsgProp p = (Message.MsgProp) m;
        b.setProp(
            io.pekkoetcd.protocol.raft.MsgProp.newBuilder()
                .addAllEntries(entriesToProto(p.entries())));
      }
      case READ_INDEX -> {
        Message.MsgReadIndex r = (Message.MsgReadIndex) m;
        b.setReadIndex(
            io.pekkoetcd.protocol.raft.MsgReadIndex.newBuilder().setContext(bytes(r.context())));
      }
      case READ_INDEX_RESP -> {
        Message.MsgReadIndexResp r = (Message.MsgReadIndexResp) m;
        b.setReadIndexResp(
            io.pekkoetcd.protocol.raft.MsgReadIndexResp.newBuilder()
                .setIndex(r.index())
                .setContext(bytes(r.context())));
      }
      case TIMEOUT_NOW -> {
        b.setTimeoutNow(io.pekkoetcd.protocol.raft.MsgTimeoutNow.getDefaultInstance());
      }
      case TRANSFER_LEADER -> {
        Message.MsgTransferLeader t = (Message.MsgTransferLeader) m;
        b.setTransferLeader(
            io.pekkoetcd.protocol.raft.MsgTransferLeader.newBuilder()
                .setTransferee(t.transferee()));
      }
    }
    return b.build();
  }

  public static Message fromProto(RaftEnvelope e) {
    long from = e.getFrom();
    long to = e.getTo();
    long term = e.getTerm();
    return switch (e.getMessageCase()) {
      case APP -> {
        var a = e.getApp();
        yield new Message.MsgApp(
            from,
            to,
            term,
            a.getLogTerm(),
            a.getIndex(),
            entriesFromProto(a.getEntriesList()),
            a.getCommit());
      }
      case APP_RESP -> {
        var r = e.getAppResp();
        yield new Message.MsgAppResp(
            from, to, term, r.getIndex(), r.getReject(), r.getRejectHint(), r.getLogTerm());
      }
      case VOTE -> {
        var v = e.getVote();
        yield new Message.MsgVote(from, to, term, v.getLogTerm(), v.getIndex(), v.getTransfer());
      }
      case VOTE_RESP -> new Message.MsgVoteResp(from, to, term, e.getVoteResp().getReject());
      case PRE_VOTE -> {
        var v = e.getPreVote();
        yield new Message.MsgPreVote(from, to, term, v.getLogTerm(), v.getIndex(), v.getTransfer());
      }
      case PRE_VOTE_RESP ->
          new Message.MsgPreVoteResp(from, to, term, e.getPreVoteResp().getReject());
      case HEARTBEAT -> {
        var h = e.getHeartbeat();
        yield new Message.MsgHeartbeat(from, to, term, h.getCommit(), h.getContext().toByteArray());
      }
      case HEARTBEAT_RESP ->
          new Message.MsgHeartbeatResp(
              from, to, term, e.getHeartbeatResp().getContext().toByteArray());
      case SNAP ->
          new Message.MsgSnap(from, to, term, snapshotFromProto(e.getSnap().getSnapshot()));
      case PROP ->
          new Message.MsgProp(from, to, term, entriesFromProto(e.getProp().getEntriesList()));
      case READ_INDEX ->
          new Message.MsgReadIndex(from, to, term, e.getReadIndex().getContext().toByteArray());
      case READ_INDEX_RESP -> {
        var r = e.getReadIndexResp();
        yield new Message.MsgReadIndexResp(
            from, to, term, r.getIndex(), r.getContext().toByteArray());
      }
      case TIMEOUT_NOW -> new Message.MsgTimeoutNow(from, to, term);
      case TRANSFER_LEADER ->
          new Message.MsgTransferLeader(from, to, term, e.getTransferLeader().getTransferee());
      case MESSAGE_NOT_SET -> throw new IllegalArgumentException("Raft envelope without a message");
    };
  }

  private static List<io.pekkoetcd.protocol.raft.Entry> entriesToProto(List<Entry> entries) {
    return RaftProtos.entriesToProto(entries);
  }

  private static List<Entry> entriesFromProto(List<io.pekkoetcd.protocol.raft.Entry> entries) {
    return RaftProtos.entriesFromProto(entries);
  }

  static io.pekkoetcd.protocol.raft.Snapshot snapshotToProto(Snapshot s) {
    return RaftProtos.toProto(s);
  }

  static Snapshot snapshotFromProto(io.pekkoetcd.protocol.raft.Snapshot s) {
    return RaftProtos.fromProto(s);
  }

  private static ByteString bytes(byte[] b) {
    return b == null ? ByteString.EMPTY : ByteString.copyFrom(b);
  }
}
