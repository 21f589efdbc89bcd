package io.pekkoetcd.actors;

import com.google.protobuf.Message;
import io.pekkoetcd.protocol.etcdserverpb.CompactionResponse;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeResponse;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;

/**
 * Completes the {@link ResponseHeader} of KV responses: the MVCC store sets only {@code revision};
 * this adds {@code cluster_id}, {@code member_id} and {@code raft_term} to the top-level header
 * (inner txn headers stay as the store made them, as in etcd).
 */
final class Headers {
  private final long clusterId;
  private final long memberId;

  Headers(long clusterId, long memberId) {
    this.clusterId = clusterId;
    this.memberId = memberId;
  }

  ResponseHeader header(long revision, long term) {
    return ResponseHeader.newBuilder()
        .setClusterId(clusterId)
        .setMemberId(memberId)
        .setRevision(revision)
        .setRaftTerm(term)
        .build();
  }

  private ResponseHeader complete(ResponseHeader partial, long term) {
    return header(partial.getRevision(), term);
  }

  @SuppressWarnings("unchecked")
  <M extends Message> M fill(M m, long term) {
    Message out;
    if (m instanceof PutResponse r) {
      out = r.toBuilder().setHeader(complete(r.getHeader(), term)).build();
    } else if (m instanceof RangeResponse r) {
      out = r.toBuilder().setHeader(complete(r.getHeader(), term)).build();
    } else if (m instanceof DeleteRangeResponse r) {
      out = r.toBuilder().setHeader(complete(r.getHeader(), term)).build();
    } else if (m instanceof TxnResponse r) {
      out = r.toBuilder().setHeader(complete(r.getHeader(), term)).build();
    } else if (m instanceof CompactionResponse r) {
      out = r.toBuilder().setHeader(complete(r.getHeader(), term)).build();
    } else if (m instanceof LeaseGrantResponse r) {
      out = r.toBuilder().setHeader(complete(r.getHeader(), term)).build();
    } else if (m instanceof LeaseRevokeResponse r) {
      out = r.toBuilder().setHeader(complete(r.getHeader(), term)).build();
    } else if (m instanceof io.pekkoetcd.protocol.internal.Membership) {
      out = m; // a membership change's answer: the edge builds the Cluster response
    } else if (m instanceof io.pekkoetcd.protocol.etcdserverpb.AlarmResponse) {
      out = m; // etcd 3.4's Alarm answers carry no header (its gateway prints "{}" for GET)
    } else if (m.getDescriptorForType().findFieldByName("header") != null
        && m.getField(m.getDescriptorForType().findFieldByName("header"))
            instanceof ResponseHeader partial) {
      // the Auth answers: a header like every KV answer's
      out =
          m.toBuilder()
              .setField(m.getDescriptorForType().findFieldByName("header"), complete(partial, term))
              .build();
    } else {
      throw new IllegalArgumentException("no header to fill in " + m.getClass().getSimpleName());
    }
    return (M) out;
  }
}
