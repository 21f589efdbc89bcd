package io.pekkoetcd.raft;

/**
 * Why a proposal, read index or transfer request was not accepted (the caller maps these to etcd
 * errors).
 */
public enum DropReason {
  /** No leader is known (an election is under way). etcd: "etcdserver: no leader". */
  NO_LEADER,
  /** The leader is handing leadership over. etcd: "etcdserver: leadership transfer in progress". */
  TRANSFERRING,
  /** This member is not (or no longer) in the configuration it leads. */
  NOT_A_MEMBER,
  /** A configuration change is still unapplied; only one may be pending. */
  CONF_CHANGE_PENDING
}
