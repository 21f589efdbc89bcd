package io.pekkoetcd.watch;

/**
 * Why the watch hub ends a whole Watch stream (not one watcher: those end with a canceled
 * response): a closed set, translated to etcd's gRPC status and exact message by the one table at
 * the gRPC edge. Each constant's Javadoc quotes the message etcd uses.
 */
public enum WatchError {
  /**
   * "etcdserver: no leader" (Unavailable) — the stream was opened with {@code hasleader: true} and
   * its member has had no leader for three election timeouts (etcd's monitorLeader).
   */
  NO_LEADER,
  /** "etcdserver: watch canceled" (Canceled) — the client canceled the stream. */
  CANCELED
}
