package io.pekkoetcd.actors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.typesafe.config.ConfigFactory;
import io.pekkoetcd.persistence.RaftLogSnapshot;
import io.pekkoetcd.persistence.RaftLogStore;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.internal.InternalRaftRequest;
import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.Message;
import io.pekkoetcd.raft.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A {@link RaftNode} (member 1 of three: 1, 2, 3; cluster {@link #CLUSTER}) on {@link ManualTime},
 * an in-memory WAL, an outbox that hands every Raft message to {@link #sent}, a transport that
 * hands every refusal to {@link #refused}, a KV probe and snapshot senders that only report their
 * start and stop to {@link #senders}. The test plays members 2 and 3 by stepping their messages
 * into the node.
 */
final class RaftNodeHarness implements AutoCloseable {

  static final long ME = 1;
  static final long CLUSTER = 7;
  static final long HEARTBEAT_MS = 100;
  static final int ELECTION_TICKS = 10;
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2); // 20 ticks
  static final Duration WAIT = Duration.ofSeconds(5);

  final ActorTestKit testKit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  final ManualTime time = ManualTime.get(testKit.system());
  final PendingRequests pending = new PendingRequests(() -> 1000);
  final TestProbe<Message> sent = testKit.createTestProbe();
  final TestProbe<KvActor.Command> kv = testKit.createTestProbe();
  final TestProbe<String> senders = testKit.createTestProbe();

  /** What the node told its transport it refused from peers. */
  final TestProbe<PeerTransport.Refused> refused = testKit.createTestProbe();

  /** Everything the WAL made durable, in order (read by the test thread). */
  final List<Entry> walEntries = new CopyOnWriteArrayList<>();

  final ActorRef<RaftNode.Command> node;

  RaftNodeHarness() {
    this(new RaftLogSnapshot(HardState.EMPTY, Snapshot.EMPTY, List.of()));
  }

  /** A node whose WAL recovers {@code recovered}. */
  RaftNodeHarness(RaftLogSnapshot recovered) {
    RaftNode.Deps deps =
        new RaftNode.Deps(
            inMemoryWal(recovered),
            self ->
                Behaviors.receive(PeerTransport.Command.class)
                    .onMessage(
                        PeerTransport.Refused.class,
                        r -> {
                          refused.ref().tell(r);
                          return Behaviors.same();
                        })
                    .build(),
            ctx -> messages -> messages.forEach(sent.ref()::tell),
            Optional.empty(),
            (system, snap, replyTo) -> Optional.of(fakeSender(snap.to())));
    node = testKit.spawn(RaftNode.create(config(), pending, kv.ref(), deps), "raft");
    awaitStatus(s -> s.term() >= 1, "the node recovered");
  }

  private Behavior<RaftLogStore.Command> inMemoryWal(RaftLogSnapshot recovered) {
    return Behaviors.setup(
        ctx -> {
          long[] last = {recovered.lastIndex()};
          return Behaviors.receive(RaftLogStore.Command.class)
              .onMessage(
                  RaftLogStore.Load.class,
                  l -> {
                    l.replyTo().tell(recovered);
                    return Behaviors.same();
                  })
              .onMessage(
                  RaftLogStore.Append.class,
                  a -> {
                    a.snapshot().ifPresent(s -> last[0] = s.index());
                    if (!a.entries().isEmpty()) {
                      walEntries.addAll(a.entries());
                      last[0] = a.entries().get(a.entries().size() - 1).index();
                    }
                    a.replyTo()
                        .tell(new RaftLogStore.Appended(last[0], a.hardState().orElse(null)));
                    return Behaviors.same();
                  })
              .onMessage(RaftLogStore.Compact.class, c -> Behaviors.same())
              .build();
        });
  }

  private Behavior<SnapshotSender.Command> fakeSender(long peer) {
    return Behaviors.setup(
        ctx -> {
          senders.ref().tell("started " + peer);
          return Behaviors.receive(SnapshotSender.Command.class)
              .onSignal(
                  PostStop.class,
                  s -> {
                    senders.ref().tell("stopped " + peer);
                    return Behaviors.same();
                  })
              .build();
        });
  }

  static MemberConfig config() {
    return new MemberConfig(
        "m1",
        ME,
        CLUSTER,
        List.of("http://127.0.0.1:1"),
        List.of("http://127.0.0.1:2"),
        Path.of("target/raft-node-harness"),
        1_000_000,
        100,
        128,
        1 << 20,
        REQUEST_TIMEOUT,
        8,
        List.of(1L, 2L, 3L),
        Duration.ofMillis(HEARTBEAT_MS),
        ELECTION_TICKS,
        42,
        Duration.ofMinutes(10),
        List.of(
            new MemberConfig.Peer(1, "m1", List.of("http://127.0.0.1:1")),
            new MemberConfig.Peer(2, "m2", List.of("http://127.0.0.1:3")),
            new MemberConfig.Peer(3, "m3", List.of("http://127.0.0.1:5"))),
        Duration.ZERO,
        MemberConfig.Maintenance.DEFAULTS,
        MemberConfig.Auth.DEFAULTS);
  }

  /** A WAL that starts after a snapshot at {@code index} (term 1) of members 1, 2, 3. */
  static RaftLogSnapshot compactedAt(long index) {
    Snapshot start = new Snapshot(index, 1, new ConfState(Set.of(1L, 2L, 3L), Set.of()), null);
    return new RaftLogSnapshot(new HardState(1, 0, index), start, List.of());
  }

  static InternalRaftRequest put(long id, String key) {
    return InternalRaftRequest.newBuilder()
        .setId(id)
        .setPut(
            PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8("v")))
        .build();
  }

  static boolean carries(Entry e, InternalRaftRequest r) {
    return Arrays.equals(e.data(), r.toByteArray());
  }

  /** Let {@code n} heartbeat intervals pass, one tick at a time. */
  void ticks(int n) {
    for (int i = 0; i < n; i++) {
      time.timePasses(Duration.ofMillis(HEARTBEAT_MS));
    }
  }

  /** Elect this node: two election timeouts pass, member 2 grants its pre-vote and its vote. */
  void becomeLeader() {
    ticks(2 * ELECTION_TICKS);
    Message.MsgPreVote preVote = awaitSent(Message.MsgPreVote.class, m -> m.to() == 2);
    step(new Message.MsgPreVoteResp(2, ME, preVote.term(), false));
    Message.MsgVote vote = awaitSent(Message.MsgVote.class, m -> m.to() == 2);
    step(new Message.MsgVoteResp(2, ME, vote.term(), false));
    awaitStatus(s -> s.leader() == ME, "member 1 leads");
  }

  void step(Message m) {
    node.tell(new RaftNode.Step(m));
  }

  /** The first message sent by the node (others skipped) that {@code wanted} accepts. */
  @SuppressWarnings("unchecked")
  <M extends Message> M awaitSent(Class<M> type, Predicate<M> wanted) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "no " + type.getSimpleName() + " as wanted within " + WAIT + "; sent: " + skipped);
      }
      Optional<Message> m = poll(Duration.ofNanos(left));
      if (m.isEmpty()) {
        continue;
      }
      if (type.isInstance(m.get()) && wanted.test((M) m.get())) {
        return (M) m.get();
      }
      skipped.add(m.get().type() + "->" + m.get().to());
    }
  }

  private Optional<Message> poll(Duration max) {
    try {
      return Optional.of(sent.receiveMessage(max));
    } catch (AssertionError timeout) {
      return Optional.empty();
    }
  }

  /** Ask for the status until it satisfies {@code wanted} (each ask a round trip, no sleeping). */
  RaftNode.RaftStatus awaitStatus(Predicate<RaftNode.RaftStatus> wanted, String what) {
    TestProbe<RaftNode.RaftStatus> probe = testKit.createTestProbe();
    long deadline = System.nanoTime() + WAIT.toNanos();
    RaftNode.RaftStatus last = null;
    while (System.nanoTime() < deadline) {
      node.tell(new RaftNode.GetStatus(probe.ref()));
      last = probe.receiveMessage(WAIT);
      if (wanted.test(last)) {
        return last;
      }
    }
    assertTrue(false, "not reached: " + what + "; last status " + last);
    return last;
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
