package io.pekkoetcd.actors;

import com.google.protobuf.Message;
import com.typesafe.config.Config;
import io.pekkoetcd.actors.apply.KvRequestValidator;
import io.pekkoetcd.actors.apply.Quota;
import io.pekkoetcd.actors.auth.Permissions;
import io.pekkoetcd.actors.metrics.MemberMetrics;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.mvcc.MvccException;
import io.pekkoetcd.protocol.etcdserverpb.AlarmRequest;
import io.pekkoetcd.protocol.etcdserverpb.AlarmResponse;
import io.pekkoetcd.protocol.etcdserverpb.AlarmType;
import io.pekkoetcd.protocol.etcdserverpb.CompactionRequest;
import io.pekkoetcd.protocol.etcdserverpb.CompactionResponse;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.HashKVRequest;
import io.pekkoetcd.protocol.etcdserverpb.HashKVResponse;
import io.pekkoetcd.protocol.etcdserverpb.HashResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseGrantResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseKeepAliveResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseLeasesResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseRevokeResponse;
import io.pekkoetcd.protocol.etcdserverpb.LeaseStatus;
import io.pekkoetcd.protocol.etcdserverpb.LeaseTimeToLiveRequest;
import io.pekkoetcd.protocol.etcdserverpb.LeaseTimeToLiveResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberAddRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberAddResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberListResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberPromoteRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberPromoteResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberRemoveRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberRemoveResponse;
import io.pekkoetcd.protocol.etcdserverpb.MemberUpdateRequest;
import io.pekkoetcd.protocol.etcdserverpb.MemberUpdateResponse;
import io.pekkoetcd.protocol.etcdserverpb.MoveLeaderRequest;
import io.pekkoetcd.protocol.etcdserverpb.MoveLeaderResponse;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutResponse;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeResponse;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.StatusResponse;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.etcdserverpb.TxnResponse;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.protocol.internal.Membership;
import io.pekkoetcd.watch.WatchHub;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * One running member, as the gRPC and HTTP edge sees it: every etcd request it serves, as a {@link
 * CompletionStage}. Writes are validated (as etcd's gRPC layer does), proposed to the {@link
 * RaftNode} and completed after apply; reads are served by the {@link KvActor}.
 *
 * <p>Failure contract: stages fail with {@link MvccException} (the KV domain's errors) or {@link
 * ServerException} (the member's own); the edge maps both through its one error table.
 */
public final class EtcdMember {
  private final ActorSystem<?> system;
  private final MemberConfig config;
  private final PendingRequests pending;
  private final PeerDirectory directory;
  private final KvRequestValidator validator;
  private final ActorRef<RaftNode.Command> raft;
  private final ActorRef<KvActor.Command> kv;
  private final ActorRef<WatchHub.Command> watchHub;
  private final ActorRef<LeaseActor.Command> leases;
  private final LeaseIds leaseIds;
  private final java.util.concurrent.atomic.AtomicLong revision;
  private final Duration askTimeout;
  private final Headers headers;
  private final MemberMetrics metrics;
  private final MetricsScrape metricsScrape;
  private final QuotaGuard quota;
  private final ClusterAdmin cluster;
  private final AuthAdmin auth;
  private final MemberHashes hashes;

  private EtcdMember(
      ActorSystem<?> system,
      MemberConfig config,
      PendingRequests pending,
      PeerDirectory directory,
      MemberGuardian.Refs refs) {
    this.system = system;
    this.config = config;
    this.pending = pending;
    this.directory = directory;
    this.validator = new KvRequestValidator(config.maxTxnOps());
    this.raft = refs.raft();
    this.kv = refs.kv();
    this.watchHub = refs.watchHub();
    this.leases = refs.leases();
    this.revision = refs.revision();
    this.leaseIds = new LeaseIds(config.memberId(), System.currentTimeMillis());
    this.askTimeout = config.requestTimeout();
    this.headers = new Headers(config.clusterId(), config.memberId());
    this.metrics = MemberMetrics.get(system);
    this.metricsScrape =
        new MetricsScrape(system, config, pending, refs.raft(), refs.kv(), refs.watchHub());
    this.quota =
        new QuotaGuard(
            config.maintenance().quotaBackendBytes(),
            () ->
                AskPattern.<KvActor.Command, KvActor.KvStatus>ask(
                        kv, KvActor.GetStatus::new, askTimeout, system.scheduler())
                    .thenApply(KvActor.KvStatus::dbSizeBytes),
            System::nanoTime);
    this.cluster =
        new ClusterAdmin(
            system,
            config,
            directory,
            raft,
            askTimeout,
            headers,
            r -> propose(Optional.empty(), r, Membership.class),
            r -> proposeInternal(r, Membership.class));
    this.hashes = new MemberHashes(system, config, directory, kv, raft, headers, askTimeout);
    this.auth =
        new AuthAdmin(
            refs.auth(), config.auth().bcryptCost(), this::proposeAuth, headers, revision::get);
  }

  /** The Auth service's member side, and the applied auth state the edge checks against. */
  public AuthAdmin auth() {
    return auth;
  }

  private <R extends Message> CompletionStage<R> proposeAuth(
      InternalRaftRequest.Builder request, Class<R> responseType) {
    return propose(Optional.empty(), request, responseType);
  }

  /**
   * Start a member in a new actor system named {@code pekko-etcd} configured by {@code
   * systemConfig}.
   */
  public static CompletionStage<EtcdMember> start(MemberConfig config, Config systemConfig) {
    PendingRequests pending = new PendingRequests(() -> System.currentTimeMillis() << 20);
    PeerDirectory directory = new PeerDirectory();
    ActorSystem<MemberGuardian.Command> system =
        ActorSystem.create(
            MemberGuardian.create(config, pending, directory),
            PeerTransport.SYSTEM_NAME,
            systemConfig);
    if (Failpoints.skipReadIndex()) {
      system
          .log()
          .warn(
              "failpoint {} is on: linearizable reads skip ReadIndex (stale reads; tests only)",
              Failpoints.SKIP_READ_INDEX);
    }
    return AskPattern.<MemberGuardian.Command, MemberGuardian.Refs>ask(
            system, MemberGuardian.GetRefs::new, Duration.ofSeconds(60), system.scheduler())
        .thenApply(
            refs -> {
              EtcdMember member = new EtcdMember(system, config, pending, directory, refs);
              member.cluster.publishAttributes();
              AutoCompactor.start(member);
              return member;
            });
  }

  public ActorSystem<?> system() {
    return system;
  }

  public MemberConfig config() {
    return config;
  }

  /** The member's metrics (the edge adds its gRPC and health series to the same registry). */
  public MemberMetrics metrics() {
    return metrics;
  }

  /**
   * Everything {@code /metrics} shows, its gauges first refreshed from the actors' figures ({@link
   * MetricsScrape}).
   */
  public CompletionStage<MetricSnapshots> scrapeMetrics() {
    return metricsScrape.scrape();
  }

  /** The store's revision after the last applied entry (readable from any thread). */
  public long currentRevision() {
    return revision.get();
  }

  /**
   * The member's watch hub; the gRPC edge serves each Watch stream through {@link WatchHub#serve}.
   */
  public ActorRef<WatchHub.Command> watchHub() {
    return watchHub;
  }

  /** The leader this member knows of, 0 if none (read from the Raft node; changes nothing). */
  public CompletionStage<Long> leader() {
    return AskPattern.ask(raft, RaftNode.GetStatus::new, askTimeout, system.scheduler())
        .thenApply(RaftNode.RaftStatus::leader);
  }

  /** The member's open Watch streams and the watchers on them. */
  public CompletionStage<WatchHub.Status> watchStatus() {
    return AskPattern.ask(watchHub, WatchHub.GetStatus::new, askTimeout, system.scheduler());
  }

  public CompletionStage<RangeResponse> range(RangeRequest request) {
    Optional<MvccError> invalid = validator.check(request);
    if (invalid.isPresent()) {
      return CompletableFuture.failedFuture(new MvccException(invalid.get()));
    }
    if (request.getSerializable()) {
      return AskPattern.askWithStatus(
          kv, r -> new KvActor.Range(request, r), askTimeout, system.scheduler());
    }
    return linearizable(r -> new KvActor.Range(request, r));
  }

  /**
   * A linearizable read: a read index from Raft (through the leader), then the read served by the
   * KvActor once it has applied that far. Fails with "leader changed" or "request timed out" (both
   * Unavailable). With the {@link Failpoints#skipReadIndex} failpoint on, served locally at once
   * (not linearizable: tests only).
   */
  private <R> CompletionStage<R> linearizable(
      java.util.function.Function<
              ActorRef<org.apache.pekko.pattern.StatusReply<R>>, KvActor.Command>
          read) {
    if (isLearner()) {
      return CompletableFuture.failedFuture(
          new ServerException(ServerError.NOT_SUPPORTED_FOR_LEARNER));
    }
    if (Failpoints.skipReadIndex()) {
      return AskPattern.askWithStatus(kv, read::apply, askTimeout, system.scheduler());
    }
    long started = System.nanoTime();
    return AskPattern.<RaftNode.Command, Long>askWithStatus(
            raft, RaftNode.ReadIndex::new, askTimeout, system.scheduler())
        .thenCompose(
            index -> {
              Duration left = askTimeout.minusNanos(System.nanoTime() - started);
              return AskPattern.<KvActor.Command, R>askWithStatus(
                  kv,
                  r -> new KvActor.AfterApplied(index, read.apply(r)),
                  left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left,
                  system.scheduler());
            });
  }

  public CompletionStage<PutResponse> put(PutRequest request) {
    return put(request, null);
  }

  /**
   * @param as who the request was permission-checked as (null: auth off or nobody): carried through
   *     Raft so that applying re-checks it at the auth revision then (etcd's RequestHeader)
   */
  public CompletionStage<PutResponse> put(PutRequest request, Permissions.AuthInfo as) {
    return propose(
        validator.check(request),
        stamped(InternalRaftRequest.newBuilder().setPut(request), as),
        PutResponse.class);
  }

  public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
    return deleteRange(request, null);
  }

  /** As {@link #put(PutRequest, Permissions.AuthInfo)}. */
  public CompletionStage<DeleteRangeResponse> deleteRange(
      DeleteRangeRequest request, Permissions.AuthInfo as) {
    return propose(
        validator.check(request),
        stamped(InternalRaftRequest.newBuilder().setDeleteRange(request), as),
        DeleteRangeResponse.class);
  }

  private static InternalRaftRequest.Builder stamped(
      InternalRaftRequest.Builder b, Permissions.AuthInfo as) {
    return as == null ? b : b.setUsername(as.user()).setAuthRevision(as.revision());
  }

  public CompletionStage<TxnResponse> txn(TxnRequest request) {
    return txn(request, null);
  }

  /** As {@link #put(PutRequest, Permissions.AuthInfo)}; a read-only txn is not proposed. */
  public CompletionStage<TxnResponse> txn(TxnRequest request, Permissions.AuthInfo as) {
    Optional<MvccError> invalid = validator.check(request);
    if (invalid.isEmpty() && isReadOnly(request)) {
      if (isSerializable(request)) {
        return AskPattern.askWithStatus(
            kv, r -> new KvActor.ReadTxn(request, r), askTimeout, system.scheduler());
      }
      return linearizable(r -> new KvActor.ReadTxn(request, r));
    }
    return propose(
        invalid, stamped(InternalRaftRequest.newBuilder().setTxn(request), as), TxnResponse.class);
  }

  public CompletionStage<CompactionResponse> compact(CompactionRequest request) {
    return propose(
        validator.check(request),
        InternalRaftRequest.newBuilder().setCompaction(request),
        CompactionResponse.class);
  }

  /**
   * LeaseGrant through Raft; ID 0 gets a unique ID here, before proposing (as etcd's server), so
   * every member applies the same one.
   */
  public CompletionStage<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request) {
    LeaseGrantRequest r =
        request.getID() == 0 ? request.toBuilder().setID(leaseIds.next()).build() : request;
    return propose(
        Optional.empty(),
        InternalRaftRequest.newBuilder().setLeaseGrant(r),
        LeaseGrantResponse.class);
  }

  /** LeaseRevoke through Raft: the lease's keys are deleted in one revision. */
  public CompletionStage<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request) {
    return propose(
        Optional.empty(),
        InternalRaftRequest.newBuilder().setLeaseRevoke(request),
        LeaseRevokeResponse.class);
  }

  /**
   * One keep-alive, renewed by the leader's lessor (forwarded there from a follower): TTL = the
   * granted TTL, 0 if the lease does not exist. Fails with "no leader" or "leader changed".
   */
  public CompletionStage<LeaseKeepAliveResponse> leaseKeepAlive(long id) {
    return askLessor(r -> new LeaseActor.KeepAlive(id, r))
        .thenApply(
            a ->
                LeaseKeepAliveResponse.newBuilder()
                    .setHeader(header(revision.get(), a.term()))
                    .setID(id)
                    .setTTL(a.ttl())
                    .build());
  }

  /**
   * Remaining and granted TTL from the leader's lessor (TTL −1 if the lease does not exist, not an
   * error); with {@code keys}, the keys attached to it on this member.
   */
  public CompletionStage<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request) {
    return askLessor(r -> new LeaseActor.TimeToLive(request.getID(), r))
        .thenCompose(
            a -> {
              LeaseTimeToLiveResponse.Builder b =
                  LeaseTimeToLiveResponse.newBuilder()
                      .setHeader(header(revision.get(), a.term()))
                      .setID(request.getID())
                      .setTTL(a.ttl())
                      .setGrantedTTL(a.grantedTtl());
              if (a.ttl() == -1 || !request.getKeys()) {
                return CompletableFuture.completedFuture(b.build());
              }
              return AskPattern
                  .<KvActor.Command, java.util.List<com.google.protobuf.ByteString>>ask(
                      kv,
                      r -> new KvActor.LeaseKeys(request.getID(), r),
                      askTimeout,
                      system.scheduler())
                  .thenApply(keys -> b.addAllKeys(keys).build());
            });
  }

  /** Every lease this member knows (etcd answers LeaseLeases locally). */
  public CompletionStage<LeaseLeasesResponse> leaseLeases() {
    return AskPattern.ask(leases, LeaseActor.ListLeases::new, askTimeout, system.scheduler())
        .thenApply(
            l -> {
              LeaseLeasesResponse.Builder b =
                  LeaseLeasesResponse.newBuilder().setHeader(header(revision.get(), l.term()));
              for (long id : l.ids()) {
                b.addLeases(LeaseStatus.newBuilder().setID(id));
              }
              return b.build();
            });
  }

  private CompletionStage<LeaseActor.Answer> askLessor(
      java.util.function.Function<ActorRef<LeaseActor.Answer>, LeaseActor.Command> ask) {
    return AskPattern.ask(leases, ask::apply, askTimeout, system.scheduler())
        .handle(
            (a, e) -> {
              if (e != null) {
                throw new ServerException(ServerError.REQUEST_TIMED_OUT);
              }
              if (a.error() != null) {
                throw new ServerException(a.error());
              }
              return a;
            });
  }

  public CompletionStage<HashKVResponse> hashKV(HashKVRequest request) {
    if (isLearner()) {
      return CompletableFuture.failedFuture(
          new ServerException(ServerError.NOT_SUPPORTED_FOR_LEARNER));
    }
    return AskPattern.askWithStatus(
        kv, r -> new KvActor.HashKV(request.getRevision(), r), askTimeout, system.scheduler());
  }

  /** Maintenance.Hash: this member's whole backend ({@link io.pekkoetcd.mvcc.BackendHash}). */
  public CompletionStage<HashResponse> hash() {
    return hashes.hash();
  }

  /**
   * etcd's {@code --experimental-initial-corrupt-check}, run before the client port is bound: fails
   * if a peer's data differs from this member's (a no-op without the flag).
   */
  public CompletionStage<Void> initialCorruptCheck() {
    return hashes.initialCheck();
  }

  /**
   * Alarm GET, ACTIVATE or DEACTIVATE, through Raft as etcd (the alarms are cluster-wide applied
   * state, kept in the store's alarm bucket).
   */
  public CompletionStage<AlarmResponse> alarm(AlarmRequest request) {
    return propose(
        Optional.empty(), InternalRaftRequest.newBuilder().setAlarm(request), AlarmResponse.class);
  }

  /**
   * Defragment this member's store (etcd: this member only; reads and applies wait meanwhile).
   * Fails with the store's error; a defragment longer than 10 minutes fails as timed out.
   */
  public CompletionStage<KvActor.Defragmented> defragment() {
    return AskPattern.<KvActor.Command, KvActor.Defragmented>ask(
            kv, KvActor.Defragment::new, Duration.ofMinutes(10), system.scheduler())
        .thenApply(
            d -> {
              if (d.failure() != null) {
                throw new IllegalStateException("defragment failed", d.failure());
              }
              quota.sizeIs(d.sizeAfter());
              return d;
            });
  }

  /**
   * A point-in-time copy of the store as etcd's backend file (Maintenance.Snapshot), written to a
   * temporary file under {@code member/snap} that the caller streams and then deletes, with its
   * SHA-256.
   */
  public CompletionStage<ClientSnapshots.File> snapshotFile() {
    return ClientSnapshots.write(system, kv, config.snapDir(), askTimeout);
  }

  /**
   * The alarms this member has applied, read locally without Raft (etcd's {@code s.Alarms()}, what
   * its health check reads): answers without a leader.
   */
  public CompletionStage<java.util.List<io.pekkoetcd.protocol.etcdserverpb.AlarmMember>>
      appliedAlarms() {
    return AskPattern.<KvActor.Command, KvActor.KvStatus>ask(
            kv, KvActor.GetStatus::new, askTimeout, system.scheduler())
        .thenApply(
            k ->
                k.alarms().stream()
                    .map(
                        a ->
                            io.pekkoetcd.protocol.etcdserverpb.AlarmMember.newBuilder()
                                .setMemberID(a.memberId())
                                .setAlarm(AlarmType.forNumber(a.type()))
                                .build())
                    .toList());
  }

  public CompletionStage<StatusResponse> status() {
    CompletionStage<KvActor.KvStatus> kvStatus =
        AskPattern.ask(kv, KvActor.GetStatus::new, askTimeout, system.scheduler());
    CompletionStage<RaftNode.RaftStatus> raftStatus =
        AskPattern.ask(raft, RaftNode.GetStatus::new, askTimeout, system.scheduler());
    return kvStatus.thenCombine(
        raftStatus,
        (k, r) -> {
          StatusResponse.Builder b =
              StatusResponse.newBuilder()
                  .setHeader(header(k.revision(), r.term()))
                  .setVersion(ServerVersion.SERVER)
                  .setDbSize(k.dbSizeBytes())
                  .setDbSizeInUse(k.dbSizeInUseBytes())
                  .setLeader(r.leader())
                  .setRaftIndex(r.commitIndex())
                  .setRaftTerm(r.term())
                  .setRaftAppliedIndex(k.appliedIndex())
                  .setIsLearner(isLearner());
          if (r.leader() == 0) {
            b.addErrors("etcdserver: no leader");
          }
          for (io.pekkoetcd.mvcc.StoredAlarm a : k.alarms()) {
            // etcd: AlarmMember's text form
            b.addErrors(
                "memberID:"
                    + Long.toUnsignedString(a.memberId())
                    + " alarm:"
                    + AlarmType.forNumber(a.type())
                    + " ");
          }
          return b.build();
        });
  }

  /**
   * MVCC snapshots this member streamed to followers and installed from a leader since it started.
   */
  public record SnapshotCounts(long sent, long installed) {}

  public CompletionStage<SnapshotCounts> snapshotCounts() {
    CompletionStage<KvActor.KvStatus> kvStatus =
        AskPattern.ask(kv, KvActor.GetStatus::new, askTimeout, system.scheduler());
    CompletionStage<RaftNode.RaftStatus> raftStatus =
        AskPattern.ask(raft, RaftNode.GetStatus::new, askTimeout, system.scheduler());
    return kvStatus.thenCombine(
        raftStatus, (k, r) -> new SnapshotCounts(r.snapshotsSent(), k.snapshotsInstalled()));
  }

  /**
   * Whether this member is a learner now: as etcd's interceptor, a learner serves only Status and
   * serializable reads ("etcdserver: rpc not supported for learner").
   */
  public boolean isLearner() {
    return directory.members().isLearner(config.memberId());
  }

  /** Cluster.MemberList: the membership as this member has applied it. */
  public CompletionStage<MemberListResponse> memberList() {
    return cluster.memberList();
  }

  public CompletionStage<MemberAddResponse> memberAdd(MemberAddRequest request) {
    return cluster.memberAdd(request);
  }

  public CompletionStage<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
    return cluster.memberRemove(request);
  }

  public CompletionStage<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
    return cluster.memberUpdate(request);
  }

  public CompletionStage<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
    return cluster.memberPromote(request);
  }

  public CompletionStage<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
    return cluster.moveLeader(request);
  }

  /** Stop the member's actor system; the returned stage completes when it has terminated. */
  public CompletionStage<?> stop() {
    system.terminate();
    return system.getWhenTerminated();
  }

  private ResponseHeader header(long revision, long term) {
    return headers.header(revision, term);
  }

  private <R extends Message> CompletionStage<R> propose(
      Optional<MvccError> invalid, InternalRaftRequest.Builder request, Class<R> responseType) {
    if (invalid.isPresent()) {
      return CompletableFuture.failedFuture(new MvccException(invalid.get()));
    }
    if (isLearner()) {
      return CompletableFuture.failedFuture(
          new ServerException(ServerError.NOT_SUPPORTED_FOR_LEARNER));
    }
    if (!quota.admits(Quota.cost(request))) {
      // etcd's quota check: raise NOSPACE for this member (cluster-wide once applied) and refuse
      alarm(
          AlarmRequest.newBuilder()
              .setAction(AlarmRequest.AlarmAction.ACTIVATE)
              .setMemberID(config.memberId())
              .setAlarm(AlarmType.NOSPACE)
              .build());
      return CompletableFuture.failedFuture(new MvccException(MvccError.NO_SPACE));
    }
    return proposeInternal(request, responseType);
  }

  private <R extends Message> CompletionStage<R> proposeInternal(
      InternalRaftRequest.Builder request, Class<R> responseType) {
    PendingRequests.Registration reg = pending.register();
    InternalRaftRequest proposal = request.setId(reg.id()).setProposer(config.memberId()).build();
    if (proposal.getSerializedSize() > config.maxRequestBytes()) {
      reg.result().cancel(false);
      return CompletableFuture.failedFuture(new ServerException(ServerError.REQUEST_TOO_LARGE));
    }
    raft.tell(new RaftNode.Propose(proposal));
    // The request timeout on Pekko's scheduler, not CompletableFuture.orTimeout: its timer wheel
    // takes a task without waking its thread, where orTimeout's delay thread was woken by every
    // proposal (one more thread wake-up per put). Cancelled when the request completes first.
    Cancellable timeout =
        system
            .scheduler()
            .scheduleOnce(
                askTimeout,
                () -> reg.result().completeExceptionally(new TimeoutException()),
                system.executionContext());
    return reg.result()
        .whenComplete((r, e) -> timeout.cancel())
        .handle(
            (r, e) -> {
              if (e == null) {
                return responseType.cast(r);
              }
              Throwable cause = e instanceof CompletionException ? e.getCause() : e;
              if (!(cause instanceof MvccException)) {
                // etcd counts proposals that failed to commit or apply in time, not refused
                // requests.
                metrics.proposalsFailed.inc();
              }
              if (cause instanceof TimeoutException) {
                throw new ServerException(ServerError.REQUEST_TIMED_OUT);
              }
              throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
            });
  }

  /**
   * A read-only txn is served locally only if every Range in it asks for it (etcd:
   * txn.IsSerializable).
   */
  static boolean isSerializable(TxnRequest t) {
    for (RequestOp op : t.getSuccessList()) {
      if (!op.getRequestRange().getSerializable()) {
        return false;
      }
    }
    for (RequestOp op : t.getFailureList()) {
      if (!op.getRequestRange().getSerializable()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A txn that cannot write: every op in both branches is a Range (nested txns count as writes, as
   * in etcd).
   */
  static boolean isReadOnly(TxnRequest t) {
    for (RequestOp op : t.getSuccessList()) {
      if (!op.hasRequestRange()) {
        return false;
      }
    }
    for (RequestOp op : t.getFailureList()) {
      if (!op.hasRequestRange()) {
        return false;
      }
    }
    return true;
  }
}
