package io.pekkoetcd.grpc;

import io.pekkoetcd.actors.EtcdMember;
import io.pekkoetcd.protocol.etcdserverpb.AlarmRequest;
import io.pekkoetcd.protocol.etcdserverpb.AlarmResponse;
import io.pekkoetcd.protocol.etcdserverpb.DefragmentRequest;
import io.pekkoetcd.protocol.etcdserverpb.DefragmentResponse;
import io.pekkoetcd.protocol.etcdserverpb.DowngradeRequest;
import io.pekkoetcd.protocol.etcdserverpb.DowngradeResponse;
import io.pekkoetcd.protocol.etcdserverpb.HashKVRequest;
import io.pekkoetcd.protocol.etcdserverpb.HashKVResponse;
import io.pekkoetcd.protocol.etcdserverpb.HashRequest;
import io.pekkoetcd.protocol.etcdserverpb.HashResponse;
import io.pekkoetcd.protocol.etcdserverpb.MaintenancePowerApi;
import io.pekkoetcd.protocol.etcdserverpb.MoveLeaderRequest;
import io.pekkoetcd.protocol.etcdserverpb.MoveLeaderResponse;
import io.pekkoetcd.protocol.etcdserverpb.SnapshotRequest;
import io.pekkoetcd.protocol.etcdserverpb.SnapshotResponse;
import io.pekkoetcd.protocol.etcdserverpb.StatusRequest;
import io.pekkoetcd.protocol.etcdserverpb.StatusResponse;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.stream.javadsl.Source;

/**
 * etcd's {@code etcdserverpb.Maintenance} service. Served: Status, HashKV, MoveLeader, Alarm
 * (through Raft, as etcd), Defragment (this member's store), Snapshot (etcd's backend file, {@link
 * SnapshotStream}). The rest answers UNIMPLEMENTED.
 */
final class MaintenanceService implements MaintenancePowerApi {
  private final EtcdMember member;
  private final AuthGuard guard;

  MaintenanceService(EtcdMember member, AuthGuard guard) {
    this.member = member;
    this.guard = guard;
  }

  @Override
  public CompletionStage<StatusResponse> status(StatusRequest in, Metadata md) {
    return member.status();
  }

  @Override
  public CompletionStage<HashKVResponse> hashKV(HashKVRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::maintenanceAdmin, () -> member.hashKV(in));
  }

  @Override
  public CompletionStage<AlarmResponse> alarm(AlarmRequest in, Metadata md) {
    return member.alarm(in);
  }

  @Override
  public CompletionStage<DefragmentResponse> defragment(DefragmentRequest in, Metadata md) {
    // etcd 3.4 answers an empty DefragmentResponse (no header)
    return guard.checked(
        md,
        AuthGuard.Checker::maintenanceAdmin,
        () -> member.defragment().thenApply(d -> DefragmentResponse.getDefaultInstance()));
  }

  @Override
  public CompletionStage<HashResponse> hash(HashRequest in, Metadata md) {
    return guard.checked(md, AuthGuard.Checker::maintenanceAdmin, member::hash);
  }

  @Override
  public Source<SnapshotResponse, NotUsed> snapshot(SnapshotRequest in, Metadata md) {
    return NotForLearners.stream(member, () -> snapshotChecked(md));
  }

  private Source<SnapshotResponse, NotUsed> snapshotChecked(Metadata md) {
    return guard.checkedStream(
        md,
        AuthGuard.Checker::maintenanceAdmin,
        () ->
            Source.completionStage(member.snapshotFile())
                .flatMapConcat(SnapshotStream::of)
                .mapMaterializedValue(m -> NotUsed.getInstance()));
  }

  @Override
  public CompletionStage<MoveLeaderResponse> moveLeader(MoveLeaderRequest in, Metadata md) {
    return member.moveLeader(in);
  }

  @Override
  public CompletionStage<DowngradeResponse> downgrade(DowngradeRequest in, Metadata md) {
    return Unimplemented.rpc("/etcdserverpb.Maintenance/Downgrade");
  }
}
