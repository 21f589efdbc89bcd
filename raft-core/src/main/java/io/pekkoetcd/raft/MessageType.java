package io.pekkoetcd.raft;

/** The kind of a {@link Message}; one constant per record, so switches over it are exhaustive. */
public enum MessageType {
  APP,
  APP_RESP,
  VOTE,
  VOTE_RESP,
  PRE_VOTE,
  PRE_VOTE_RESP,
  HEARTBEAT,
  HEARTBEAT_RESP,
  SNAP,
  PROP,
  READ_INDEX,
  READ_INDEX_RESP,
  TIMEOUT_NOW,
  TRANSFER_LEADER
}
