package io.pekkoetcd.actors;

import io.pekkoetcd.actors.CorruptionCheck.PeerHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Asks every other member's KV actor ({@code /user/kv} at its peer address, over Artery) for its
 * HashKV at a revision, as etcd's {@code getPeerHashKVs} asks each peer's {@code /members/hashkv}.
 * Never fails: a peer that does not answer within {@code timeout} is a {@link PeerHash} with
 * neither response nor error.
 */
final class PeerHashes {
  private PeerHashes() {}

  static CompletionStage<List<PeerHash>> collect(
      ActorSystem<?> system, PeerDirectory directory, long self, long revision, Duration timeout) {
    List<CompletableFuture<PeerHash>> asked = new ArrayList<>();
    for (io.pekkoetcd.protocol.etcdserverpb.Member m : directory.members().list()) {
      long id = m.getID();
      if (id == self || m.getPeerURLsCount() == 0) {
        continue;
      }
      String kvPath = PeerTransport.peerAddress(m.getPeerURLs(0)) + "/user/kv";
      asked.add(
          Adapter.toClassic(system)
              .actorSelection(kvPath)
              .resolveOne(timeout)
              .thenCompose(
                  ref ->
                      AskPattern.<KvActor.Command, KvActor.PeerHashKVAnswer>ask(
                          Adapter.<KvActor.Command>toTyped(ref),
                          replyTo -> new KvActor.PeerHashKV(revision, replyTo),
                          timeout,
                          system.scheduler()))
              .handle(
                  (a, failure) ->
                      a == null
                          ? new PeerHash(id, null, null)
                          : new PeerHash(id, a.response(), a.error()))
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
        .thenApply(done -> asked.stream().map(CompletableFuture::join).toList());
  }
}
