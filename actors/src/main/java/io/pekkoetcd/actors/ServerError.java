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
  STOPPED,
  /** "etcdserver: member not found" — no such member (or a removed one) in the membership. */
  MEMBER_NOT_FOUND,
  /** "etcdserver: member ID already exist" — MemberAdd chose an ID in use. */
  MEMBER_ID_EXISTS,
  /** "etcdserver: Peer URLs already exists" — another member has one of these peer URLs. */
  PEER_URL_EXISTS,
  /** "etcdserver: given member URLs are invalid" — a peer URL does not parse. */
  INVALID_PEER_URLS,
  /** "etcdserver: too many learner members in cluster" — etcd 3.4 allows one learner. */
  TOO_MANY_LEARNERS,
  /** "etcdserver: can only promote a learner member" — MemberPromote of a voter. */
  MEMBER_NOT_LEARNER,
  /**
   * "etcdserver: can only promote a learner member which is in sync with leader" — the learner's
   * log is behind 90 % of the leader's.
   */
  LEARNER_NOT_READY,
  /**
   * "etcdserver: re-configuration failed due to not enough started members" — the change would
   * leave fewer started voters than a quorum.
   */
  NOT_ENOUGH_STARTED_MEMBERS,
  /**
   * "etcdserver: unhealthy cluster" — this member is not connected to every voter (add) or to a
   * quorum after the removal (remove).
   */
  UNHEALTHY,
  /** "etcdserver: not leader" — MoveLeader (or MemberPromote here) sent to a follower. */
  NOT_LEADER,
  /** "etcdserver: bad leader transferee" — MoveLeader to a learner or to no member. */
  BAD_LEADER_TRANSFEREE,
  /**
   * "etcdserver: request timed out, leader transfer took too long" — the transferee did not take
   * over within the request timeout.
   */
  LEADER_TRANSFER_TIMEOUT,
  /**
   * "etcdserver: rpc not supported for learner" — a learner serves only Status and serializable
   * reads.
   */
  NOT_SUPPORTED_FOR_LEARNER,
  /** "etcdserver: root user does not exist" — AuthEnable without user root. */
  AUTH_ROOT_USER_NOT_EXIST,
  /** "etcdserver: root user does not have root role" — AuthEnable, root lacks role root. */
  AUTH_ROOT_ROLE_NOT_GRANTED,
  /** "etcdserver: user name already exists" — UserAdd of an existing user. */
  AUTH_USER_ALREADY_EXIST,
  /**
   * "etcdserver: user name is empty" — UserAdd with no name; a permission-checked request with no
   * token while auth is enabled.
   */
  AUTH_USER_EMPTY,
  /** "etcdserver: user name not found" — no such user. */
  AUTH_USER_NOT_FOUND,
  /** "etcdserver: role name already exists" — RoleAdd of an existing role. */
  AUTH_ROLE_ALREADY_EXIST,
  /** "etcdserver: role name not found" — no such role. */
  AUTH_ROLE_NOT_FOUND,
  /** "etcdserver: role name is empty" — RoleAdd with no name. */
  AUTH_ROLE_EMPTY,
  /** "etcdserver: authentication failed, invalid user ID or password" — Authenticate. */
  AUTH_FAILED,
  /**
   * "auth: authentication failed, password was given for no password user" (Unknown) — Authenticate
   * as a user added with no_password.
   */
  AUTH_NO_PASSWORD_USER,
  /** "etcdserver: permission not given" — RoleGrantPermission without a permission. */
  AUTH_PERMISSION_NOT_GIVEN,
  /** "etcdserver: permission denied" — the user's roles do not allow the request. */
  AUTH_PERMISSION_DENIED,
  /** "etcdserver: role is not granted to the user" — UserRevokeRole of a role the user lacks. */
  AUTH_ROLE_NOT_GRANTED,
  /**
   * "etcdserver: permission is not granted to the role" — RoleRevokePermission of a permission the
   * role lacks.
   */
  AUTH_PERMISSION_NOT_GRANTED,
  /** "etcdserver: authentication is not enabled" — Authenticate while auth is disabled. */
  AUTH_NOT_ENABLED,
  /** "etcdserver: invalid auth token" — an unknown or expired token. */
  AUTH_INVALID_TOKEN,
  /**
   * "etcdserver: invalid auth management" — deleting user or role root, or revoking role root from
   * root, while auth is enabled; an invalid permission range.
   */
  AUTH_INVALID_MGMT,
  /**
   * "etcdserver: revision of auth store is old" — the request was checked at an older auth revision
   * than the one it is applied at.
   */
  AUTH_OLD_REVISION,
  /**
   * "auth: user name is empty" (Unknown) — etcd 3.4's Maintenance Defragment, Hash, HashKV and
   * Snapshot pass the auth store's own error through unmapped.
   */
  AUTH_MAINTENANCE_USER_EMPTY,
  /** "auth: permission denied" (Unknown) — as {@link #AUTH_MAINTENANCE_USER_EMPTY}. */
  AUTH_MAINTENANCE_PERMISSION_DENIED,
  /**
   * "etcdserver: corrupt cluster" — a CORRUPT alarm is active: writes, compactions and lease grants
   * and revokes are refused at apply (etcd's corrupt applier); reads still answer.
   */
  CORRUPT
}
