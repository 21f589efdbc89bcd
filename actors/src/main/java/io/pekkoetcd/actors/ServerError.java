package io.pekkoetcd.actors;

/**
 * The member's own errors (not the MVCC store's): a closed set, translated to etcd's gRPC status
 * and exact message by the one table at the gRPC edge. Each constant's Javadoc quotes the message
 * etcd uses.
 */
public enum ServerError {
  /**
   * "etcdserver: request timed out" — a proposal or read was not done within the request timeout.
   */
  REQUEST_TIMED_OUT,
  /** "etcdserver: too many requests" — more proposals are waiting than the member accepts. */
  TOO_MANY_REQUESTS,
  /** "etcdserver: request is too large" — the marshaled request exceeds --max-request-bytes. */
  REQUEST_TOO_LARGE,
  /**
   * "etcdserver: leader changed" — the leader changed while a linearizable read waited for its read
   * index.
   */
  LEADER_CHANGED,
  /** "etcdserver: no leader" — the member knows no leader. */
  NO_LEADER,
  /**
   * "raft proposal dropped" (gRPC Unknown, as etcd's unmapped raft error reaches clients) — the
   * leader refused a proposal while handing over leadership.
   */
  PROPOSAL_DROPPED,
  /** "etcdserver: server stopped" — the member is shutting down. */
  STOPPED
}
