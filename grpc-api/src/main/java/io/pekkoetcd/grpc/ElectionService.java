package io.pekkoetcd.grpc;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.etcdserverpb.DeleteRangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.ResponseHeader;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import io.pekkoetcd.protocol.v3electionpb.CampaignRequest;
import io.pekkoetcd.protocol.v3electionpb.CampaignResponse;
import io.pekkoetcd.protocol.v3electionpb.ElectionPowerApi;
import io.pekkoetcd.protocol.v3electionpb.LeaderKey;
import io.pekkoetcd.protocol.v3electionpb.LeaderRequest;
import io.pekkoetcd.protocol.v3electionpb.LeaderResponse;
import io.pekkoetcd.protocol.v3electionpb.ProclaimRequest;
import io.pekkoetcd.protocol.v3electionpb.ProclaimResponse;
import io.pekkoetcd.protocol.v3electionpb.ResignRequest;
import io.pekkoetcd.protocol.v3electionpb.ResignResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * etcd's {@code v3electionpb.Election} service (its {@code v3election} server over {@code
 * concurrency.Election}): a candidate's key is {@code name/<lease in hex>} holding its proposal;
 * the leader is the key under {@code name/} with the lowest create revision. Campaign returns once
 * every earlier candidate's key is gone; Proclaim and Resign act only while the leader key still
 * has the create revision it was won with ("election: not leader" otherwise); Leader reads the
 * first key ("election: no leader" if none); Observe streams the leader and its proclamations.
 */
final class ElectionService implements ElectionPowerApi {
  /** Marks the leader key's deletion in a stream of changes (never sent). */
  private static final LeaderResponse DELETED = LeaderResponse.getDefaultInstance();

  private final Concurrency c;
  private final AuthGuard guard;

  /**
   * @param guard with auth enabled: Campaign needs READ and WRITE under {@code name/}, Leader and
   *     Observe READ there, Proclaim and Resign WRITE on the leader key (etcd's election runs its
   *     txns and reads as the caller)
   */
  ElectionService(Concurrency c, AuthGuard guard) {
    this.c = c;
    this.guard = guard;
  }

  private static void read(AuthGuard.Checker c, ByteString name) {
    ByteString prefix = prefix(name);
    c.read(prefix, Concurrency.prefixEnd(prefix));
  }

  private static void readWrite(AuthGuard.Checker c, ByteString name) {
    read(c, name);
    ByteString prefix = prefix(name);
    c.write(prefix, Concurrency.prefixEnd(prefix));
  }

  private static ByteString prefix(ByteString name) {
    return name.concat(ByteString.copyFromUtf8("/"));
  }

  @Override
  public CompletionStage<CampaignResponse> campaign(CampaignRequest in, Metadata md) {
    return guard.checkedRecipe(md, c -> readWrite(c, in.getName()), () -> campaignUnchecked(in));
  }

  private CompletionStage<CampaignResponse> campaignUnchecked(CampaignRequest in) {
    ByteString prefix = prefix(in.getName());
    return c.session(in.getLease())
        .thenCompose(
            lease -> {
              ByteString key = Concurrency.sessionKey(prefix, lease);
              TxnRequest txn =
                  TxnRequest.newBuilder()
                      .addCompare(LockService.createRevisionIs(key, 0))
                      .addSuccess(
                          RequestOp.newBuilder()
                              .setRequestPut(
                                  PutRequest.newBuilder()
                                      .setKey(key)
                                      .setValue(in.getValue())
                                      .setLease(lease)))
                      .addFailure(
                          RequestOp.newBuilder()
                              .setRequestRange(RangeRequest.newBuilder().setKey(key)))
                      .build();
              return c.member()
                  .txn(txn)
                  .thenCompose(
                      resp -> {
                        LeaderKey.Builder leader =
                            LeaderKey.newBuilder()
                                .setName(in.getName())
                                .setKey(key)
                                .setRev(resp.getHeader().getRevision())
                                .setLease(lease);
                        CompletionStage<?> proclaimed = CompletableFuture.completedFuture(null);
                        if (!resp.getSucceeded()) {
                          KeyValue kv = resp.getResponses(0).getResponseRange().getKvs(0);
                          leader.setRev(kv.getCreateRevision());
                          if (!kv.getValue().equals(in.getValue())) {
                            proclaimed = proclaim(leader.build(), in.getValue());
                          }
                        }
                        return proclaimed
                            .thenCompose(p -> c.waitDeletes(prefix, leader.getRev() - 1))
                            .thenApply(
                                h ->
                                    CampaignResponse.newBuilder()
                                        .setHeader(resp.getHeader())
                                        .setLeader(leader)
                                        .build());
                      });
            });
  }

  @Override
  public CompletionStage<ProclaimResponse> proclaim(ProclaimRequest in, Metadata md) {
    return guard.checkedRecipe(
        md, c -> c.write(in.getLeader().getKey(), ByteString.EMPTY), () -> proclaimUnchecked(in));
  }

  private CompletionStage<ProclaimResponse> proclaimUnchecked(ProclaimRequest in) {
    if (!in.hasLeader()) {
      return failed(RecipeError.MISSING_LEADER_KEY);
    }
    return proclaim(in.getLeader(), in.getValue())
        .thenApply(h -> ProclaimResponse.newBuilder().setHeader(h).build());
  }

  private CompletionStage<ResponseHeader> proclaim(LeaderKey leader, ByteString value) {
    TxnRequest txn =
        TxnRequest.newBuilder()
            .addCompare(LockService.createRevisionIs(leader.getKey(), leader.getRev()))
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestPut(
                        PutRequest.newBuilder()
                            .setKey(leader.getKey())
                            .setValue(value)
                            .setLease(leader.getLease())))
            .build();
    return c.member()
        .txn(txn)
        .thenApply(
            r -> {
              if (!r.getSucceeded()) {
                throw new RecipeError.Failure(RecipeError.ELECTION_NOT_LEADER);
              }
              return r.getHeader();
            });
  }

  @Override
  public CompletionStage<LeaderResponse> leader(LeaderRequest in, Metadata md) {
    return guard.checkedRecipe(md, c -> read(c, in.getName()), () -> leaderUnchecked(in));
  }

  private CompletionStage<LeaderResponse> leaderUnchecked(LeaderRequest in) {
    return c.member()
        .range(Concurrency.firstCreate(prefix(in.getName())))
        .thenApply(
            r -> {
              if (r.getKvsCount() == 0) {
                throw new RecipeError.Failure(RecipeError.ELECTION_NO_LEADER);
              }
              return LeaderResponse.newBuilder()
                  .setHeader(r.getHeader())
                  .setKv(r.getKvs(0))
                  .build();
            });
  }

  @Override
  public CompletionStage<ResignResponse> resign(ResignRequest in, Metadata md) {
    return guard.checkedRecipe(
        md, c -> c.write(in.getLeader().getKey(), ByteString.EMPTY), () -> resignUnchecked(in));
  }

  private CompletionStage<ResignResponse> resignUnchecked(ResignRequest in) {
    if (!in.hasLeader()) {
      return failed(RecipeError.MISSING_LEADER_KEY);
    }
    LeaderKey leader = in.getLeader();
    TxnRequest txn =
        TxnRequest.newBuilder()
            .addCompare(LockService.createRevisionIs(leader.getKey(), leader.getRev()))
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(leader.getKey())))
            .build();
    return c.member()
        .txn(txn)
        .thenApply(r -> ResignResponse.newBuilder().setHeader(r.getHeader()).build());
  }

  /**
   * etcd's {@code Election.observe}: the current leader (or the first one put, if there is none),
   * then each change of its value, until its key is deleted; then the next leader, and so on, until
   * the client goes away (then the watch of the round in progress is shut down).
   */
  @Override
  public Source<LeaderResponse, NotUsed> observe(LeaderRequest in, Metadata md) {
    // etcd's observer ends its stream without an error when its reads are refused
    return NotForLearners.stream(
        c.member(),
        () ->
            guard.refusal(md, checker -> read(checker, in.getName())).isPresent()
                ? Source.<LeaderResponse>empty()
                : observeUnchecked(in));
  }

  private Source<LeaderResponse, NotUsed> observeUnchecked(LeaderRequest in) {
    ByteString prefix = prefix(in.getName());
    SharedKillSwitch rounds = KillSwitches.shared("observe");
    Pair<BoundedSourceQueue<LeaderResponse>, Source<LeaderResponse, NotUsed>> out =
        Source.<LeaderResponse>queue(OBSERVE_BUFFER).preMaterialize(c.materializer());
    java.util.concurrent.atomic.AtomicBoolean gone =
        new java.util.concurrent.atomic.AtomicBoolean();
    observeRound(prefix, out.first(), rounds, gone);
    return out.second()
        .watchTermination(
            (m, done) -> {
              done.whenComplete(
                  (d, e) -> {
                    gone.set(true);
                    rounds.shutdown();
                  });
              return m;
            });
  }

  /** Responses buffered for a slow observer; beyond that the stream fails (as a full channel). */
  static final int OBSERVE_BUFFER = 256;

  /** One leader's round of {@link #observe}; starts the next when its key is deleted. */
  private void observeRound(
      ByteString prefix,
      BoundedSourceQueue<LeaderResponse> out,
      SharedKillSwitch rounds,
      java.util.concurrent.atomic.AtomicBoolean gone) {
    currentOrNextLeader(prefix, rounds)
        .thenCompose(
            first -> {
              offer(out, first);
              return changesUntilDeleted(first)
                  .via(rounds.flow())
                  .runForeach(r -> offer(out, r), c.materializer());
            })
        .whenComplete(
            (done, e) -> {
              if (e != null) {
                out.fail(e);
              } else if (!gone.get()) {
                observeRound(prefix, out, rounds, gone);
              }
            });
  }

  private static void offer(BoundedSourceQueue<LeaderResponse> out, LeaderResponse r) {
    if (out.offer(r) != QueueOfferResult.enqueued()) {
      throw new IllegalStateException("observer too slow or gone");
    }
  }

  private CompletionStage<LeaderResponse> currentOrNextLeader(
      ByteString prefix, SharedKillSwitch rounds) {
    return c.member()
        .range(Concurrency.firstCreate(prefix))
        .thenCompose(
            r -> {
              if (r.getKvsCount() > 0) {
                return CompletableFuture.completedFuture(
                    LeaderResponse.newBuilder()
                        .setHeader(r.getHeader())
                        .setKv(r.getKvs(0))
                        .build());
              }
              return c.events(prefix, Concurrency.prefixEnd(prefix), r.getHeader().getRevision())
                  .mapConcat(
                      w -> {
                        for (Event e : w.getEventsList()) {
                          if (e.getType() == Event.EventType.PUT) {
                            return List.of(
                                LeaderResponse.newBuilder()
                                    .setHeader(
                                        w.getHeader().toBuilder()
                                            .setRevision(e.getKv().getModRevision()))
                                    .setKv(e.getKv())
                                    .build());
                          }
                        }
                        return List.<LeaderResponse>of();
                      })
                  .via(rounds.flow())
                  .runWith(Sink.head(), c.materializer());
            });
  }

  private Source<LeaderResponse, NotUsed> changesUntilDeleted(LeaderResponse leader) {
    return c.events(leader.getKv().getKey(), ByteString.EMPTY, leader.getHeader().getRevision() + 1)
        .mapConcat(
            w -> {
              List<LeaderResponse> out = new ArrayList<>();
              for (Event e : w.getEventsList()) {
                if (e.getType() == Event.EventType.DELETE) {
                  out.add(DELETED);
                  break;
                }
                out.add(
                    LeaderResponse.newBuilder().setHeader(w.getHeader()).setKv(e.getKv()).build());
              }
              return out;
            })
        .takeWhile(r -> r != DELETED);
  }

  private static <T> CompletionStage<T> failed(RecipeError e) {
    return CompletableFuture.failedFuture(new RecipeError.Failure(e));
  }
}
