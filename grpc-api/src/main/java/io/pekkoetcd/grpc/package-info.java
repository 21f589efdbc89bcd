/**
 * The client port: pekko-grpc services with etcd's wire API ({@code etcdserverpb.KV}, {@code Maintenance},
 * {@code Cluster} so far; others answer UNIMPLEMENTED), the plain HTTP endpoints ({@code /health},
 * {@code /version}), and {@link io.pekkoetcd.grpc.ErrorTable}, the one table from internal errors to etcd's gRPC
 * codes and exact messages.
 *
 * <p>Contract: services are thin adapters onto {@code io.pekkoetcd.actors.EtcdMember}; they hold no state. Only the
 * {@code server} module may depend on this module (enforced by the build).
 */
package io.pekkoetcd.grpc;
