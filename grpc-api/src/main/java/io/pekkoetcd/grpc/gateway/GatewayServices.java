package io.pekkoetcd.grpc.gateway;

import io.pekkoetcd.protocol.etcdserverpb.AuthPowerApi;
import io.pekkoetcd.protocol.etcdserverpb.ClusterPowerApi;
import io.pekkoetcd.protocol.etcdserverpb.KVPowerApi;
import io.pekkoetcd.protocol.etcdserverpb.LeasePowerApi;
import io.pekkoetcd.protocol.etcdserverpb.MaintenancePowerApi;
import io.pekkoetcd.protocol.etcdserverpb.WatchPowerApi;
import io.pekkoetcd.protocol.v3electionpb.ElectionPowerApi;
import io.pekkoetcd.protocol.v3lockpb.LockPowerApi;
import java.util.Optional;

/**
 * The service objects the client port's gRPC handlers serve; the gateway calls the same ones, so an
 * answer over JSON is the answer over gRPC. {@code auth} is empty until the Auth service exists:
 * its paths then answer as the gRPC port does for an unknown service (UNIMPLEMENTED).
 */
public record GatewayServices(
    KVPowerApi kv,
    WatchPowerApi watch,
    LeasePowerApi lease,
    ClusterPowerApi cluster,
    MaintenancePowerApi maintenance,
    LockPowerApi lock,
    ElectionPowerApi election,
    Optional<AuthPowerApi> auth) {}
