package io.pekkoetcd.server.config;

import static io.pekkoetcd.server.config.Flag.Group.CLUSTERING;
import static io.pekkoetcd.server.config.Flag.Kind.BOOL;
import static io.pekkoetcd.server.config.Flag.Kind.STRING;
import static io.pekkoetcd.server.config.Flag.Kind.URLS;
import static io.pekkoetcd.server.config.Flag.Use.IGNORED;
import static io.pekkoetcd.server.config.Flag.Use.STORED;
import static io.pekkoetcd.server.config.Flag.Use.UNSUPPORTED;

import java.util.List;

/**
 * etcd's "Clustering" flags: bootstrap ({@code --initial-*}), advertised URLs, discovery (refused),
 * reconfiguration and pre-vote, auto-compaction and the v2 API switches. Part of {@link EtcdFlags}.
 */
final class ClusteringFlags {

  /** The "Clustering" group of {@code etcd --help}, in its order. */
  static final List<Flag> CLUSTERING_GROUP =
      List.of(
          new Flag(
              "initial-advertise-peer-urls",
              URLS,
              "http://localhost:2380",
              CLUSTERING,
              STORED,
              "List of this member's peer URLs to advertise to the rest of the cluster."),
          new Flag(
              "initial-cluster",
              STRING,
              "default=http://localhost:2380",
              CLUSTERING,
              STORED,
              "Initial cluster configuration for bootstrapping."),
          new Flag(
              "initial-cluster-state",
              STRING,
              "new",
              CLUSTERING,
              STORED,
              "Initial cluster state ('new' or 'existing')."),
          new Flag(
              "initial-cluster-token",
              STRING,
              "etcd-cluster",
              CLUSTERING,
              STORED,
              "Initial cluster token for the etcd cluster during bootstrap."),
          new Flag(
              "advertise-client-urls",
              URLS,
              "http://localhost:2379",
              CLUSTERING,
              STORED,
              "List of this member's client URLs to advertise to the public."),
          new Flag(
              "discovery",
              STRING,
              "",
              CLUSTERING,
              UNSUPPORTED,
              "Discovery URL used to bootstrap the cluster."),
          new Flag(
              "discovery-fallback",
              STRING,
              "proxy",
              CLUSTERING,
              IGNORED,
              "Expected behavior ('exit' or 'proxy') when discovery services fails."),
          new Flag(
              "discovery-proxy",
              STRING,
              "",
              CLUSTERING,
              IGNORED,
              "HTTP proxy to use for traffic to discovery service."),
          new Flag(
              "discovery-srv",
              STRING,
              "",
              CLUSTERING,
              UNSUPPORTED,
              "DNS srv domain used to bootstrap the cluster."),
          new Flag(
              "discovery-srv-name",
              STRING,
              "",
              CLUSTERING,
              IGNORED,
              "Suffix to the dns srv name queried when bootstrapping."),
          new Flag(
              "strict-reconfig-check",
              BOOL,
              "true",
              CLUSTERING,
              STORED,
              "Reject reconfiguration requests that would cause quorum loss."),
          new Flag(
              "pre-vote",
              BOOL,
              "true",
              CLUSTERING,
              STORED,
              "Enable to run an additional Raft election phase (default true as in etcd 3.5)."),
          new Flag(
              "auto-compaction-retention",
              STRING,
              "0",
              CLUSTERING,
              STORED,
              "Auto compaction retention length. 0 means disable auto compaction."),
          new Flag(
              "auto-compaction-mode",
              STRING,
              "periodic",
              CLUSTERING,
              STORED,
              "Interpret 'auto-compaction-retention' one of: periodic|revision."),
          new Flag(
              "enable-v2",
              BOOL,
              "false",
              CLUSTERING,
              IGNORED,
              "Accept etcd V2 client requests (not served)."),
          new Flag(
              "v2-deprecation",
              STRING,
              "not-yet",
              CLUSTERING,
              IGNORED,
              "(3.5) v2store deprecation stage."));

  private ClusteringFlags() {}
}
