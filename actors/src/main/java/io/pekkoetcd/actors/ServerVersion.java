package io.pekkoetcd.actors;

/** The etcd version pekko-etcd speaks: reported by Maintenance.Status and /version. */
public final class ServerVersion {
  private ServerVersion() {}

  /** etcd server version whose API pekko-etcd implements (Go 3.5 clients require at least 3.4). */
  public static final String SERVER = "3.5.0";

  /** The cluster version as etcd reports it: major.minor.0. */
  public static final String CLUSTER = "3.5.0";
}
