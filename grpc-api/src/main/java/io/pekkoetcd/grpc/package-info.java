/**
 * The client port: pekko-grpc services with etcd's wire API ({@code etcdserverpb.KV}, {@code
 * Watch}, {@code Lease}, {@code Maintenance}, {@code Cluster}, {@code Auth}, and {@code
 * v3lockpb.Lock} and {@code v3electionpb.Election} (etcd's concurrency recipes run on the member's
 * own API, {@link io.pekkoetcd.grpc.Concurrency}); unknown services answer UNIMPLEMENTED), the
 * plain HTTP endpoints ({@code /health}, {@code /livez}, {@code /readyz} with etcd 3.5's semantics
 * in {@link io.pekkoetcd.grpc.HealthChecks}, {@code /metrics} in {@link
 * io.pekkoetcd.grpc.MetricsEndpoint}, {@code /version}; {@link io.pekkoetcd.grpc.MetricsListener}
 * serves all but {@code /version} on a {@code --listen-metrics-urls} listener), etcd's gRPC server
 * metrics for every call ({@link io.pekkoetcd.grpc.GrpcCallMetrics}), etcd's JSON gateway ({@code
 * /v3/*}, package {@code io.pekkoetcd.grpc.gateway}, on the same service objects), and {@link
 * io.pekkoetcd.grpc.ErrorTable}, the one table from internal errors (the KV store's, the member's,
 * the watch hub's) to etcd's gRPC codes and exact messages.
 *
 * <p>Every service is served through pekko-grpc's power API, which gives the call's metadata:
 * {@link io.pekkoetcd.grpc.AuthGuard} resolves the caller from it and checks each call as etcd 3.4
 * does while auth is enabled (the one place; services name only what a call needs). A Watch stream
 * with {@code hasleader: true} is refused with Unavailable "etcdserver: no leader" when the member
 * knows no leader, and is marked so that the watch hub ends it if the leader stays away for three
 * election timeouts.
 *
 * <p>Unary KV calls whose body arrived whole (one HTTP/2 DATA frame) are served by {@link
 * io.pekkoetcd.grpc.StrictUnary} without running a stream per request; it answers exactly as the
 * generated handler would, which serves everything else.
 *
 * <p>Contract: services are thin adapters onto {@code io.pekkoetcd.actors.EtcdMember}; they hold no
 * state. Only the {@code server} module may depend on this module (enforced by the build).
 */
package io.pekkoetcd.grpc;
