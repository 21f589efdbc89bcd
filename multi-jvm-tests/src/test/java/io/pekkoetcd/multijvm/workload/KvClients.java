package io.pekkoetcd.multijvm.workload;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pekkoetcd.multijvm.harness.MemberCluster;
import io.pekkoetcd.testkit.linearizability.History;
import io.pekkoetcd.testkit.linearizability.KvInput;
import io.pekkoetcd.testkit.linearizability.KvOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients, each a thread bound to one member (client {@code c} to member {@code c % n}),
 * running a seeded mix on a few shared keys — linearizable gets ({@code readPercent} %, 35 by
 * default), and writes: puts 7 in 13, deletes 1 in 13, compare-and-sets 5 in 13 (on the mod
 * revision the client last saw) — and recording every operation in one {@link History}; one read in
 * ten is serializable instead, kept apart in {@link SerializableReads} (not linearizable: checked
 * as snapshots of the history). Bounded: at most {@code maxOpsPerClient} operations each, and they
 * stop at {@link #stop}. Each call has a deadline; a write that ends in any error is UNKNOWN (it
 * may have been applied), except when the connection was refused (the request never left); a failed
 * read is FAILED. After an error a client backs off briefly, as etcd's clients retry.
 */
public final class KvClients implements AutoCloseable {
  /** Each call's deadline. */
  static final long DEADLINE_MS = 2_000;

  private static final long BACKOFF_MS = 50;

  private final MemberCluster cluster;
  private final History history;
  private final int clients;
  private final int keys;
  private final int maxOpsPerClient;
  private final int readPercent;
  private final long seed;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
  private final AtomicLong nextValue = new AtomicLong();
  private final SerializableReads serializableReads = new SerializableReads();

  public KvClients(
      MemberCluster cluster,
      History history,
      int clients,
      int keys,
      int maxOpsPerClient,
      int readPercent,
      long seed) {
    this.cluster = cluster;
    this.history = history;
    this.clients = clients;
    this.keys = keys;
    this.maxOpsPerClient = maxOpsPerClient;
    this.readPercent = readPercent;
    this.seed = seed;
  }

  /** The keys the clients use. */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      out.add("mjvm/k" + k);
    }
    return out;
  }

  public void start() {
    Random seeds = new Random(seed);
    for (int c = 0; c < clients; c++) {
      int client = c;
      long clientSeed = seeds.nextLong();
      Thread t = new Thread(() -> run(client, new Random(clientSeed)), "mjvm-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Stops the clients and waits for them (each finishes its call: at most its deadline). */
  public void stop() throws InterruptedException {
    stopped.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.MILLISECONDS.toMillis(DEADLINE_MS + 5_000));
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not stop");
      }
    }
  }

  public SerializableReads serializableReads() {
    return serializableReads;
  }

  /** Whether every client has ended (stopped, or its bound of operations used up). */
  public boolean done() {
    return threads.stream().noneMatch(Thread::isAlive);
  }

  /** The errors the clients met, by gRPC code. */
  public Map<String, Long> errors() {
    Map<String, Long> out = new HashMap<>();
    errors.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private void run(int client, Random random) {
    int member = client % cluster.size();
    Map<String, Long> lastModRevision = new HashMap<>();
    for (int op = 0; op < maxOpsPerClient && !stopped.get(); op++) {
      String key = "mjvm/k" + random.nextInt(keys);
      int write = random.nextInt(13);
      KvInput input;
      boolean read = random.nextInt(100) < readPercent;
      if (read && random.nextInt(10) == 0) {
        serializableGet(member, key);
        continue;
      } else if (read) {
        input = new KvInput.Get(key);
      } else if (write < 7) {
        input = new KvInput.Put(key, "c" + client + "-" + nextValue.incrementAndGet());
      } else if (write < 8) {
        input = new KvInput.Delete(key);
      } else {
        input =
            new KvInput.CompareAndSet(
                key,
                lastModRevision.getOrDefault(key, 0L),
                "c" + client + "-" + nextValue.incrementAndGet());
      }
      int id = history.invoke(client, input);
      try {
        KvOutput out = KvCalls.call(cluster.channel(member), input, DEADLINE_MS);
        history.ok(id, out);
        remember(lastModRevision, key, input, out);
      } catch (StatusRuntimeException e) {
        errors
            .computeIfAbsent(e.getStatus().getCode().toString(), k -> new AtomicLong())
            .incrementAndGet();
        if (input instanceof KvInput.Get || neverSent(e)) {
          history.fail(id);
        } else {
          history.unknown(id);
        }
        try {
          TimeUnit.MILLISECONDS.sleep(BACKOFF_MS); // the client's retry backoff: load shaping
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** A serializable get through {@code member}, kept if answered (a failed one has no effect). */
  private void serializableGet(int member, String key) {
    try {
      io.etcd.jetcd.api.RangeResponse r =
          io.etcd.jetcd.api.KVGrpc.newBlockingStub(cluster.channel(member))
              .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
              .range(
                  io.etcd.jetcd.api.RangeRequest.newBuilder()
                      .setKey(KvCalls.bs(key))
                      .setSerializable(true)
                      .build());
      io.etcd.jetcd.api.KeyValue kv = r.getKvsCount() == 0 ? null : r.getKvs(0);
      serializableReads.add(
          new SerializableReads.Read(
              member,
              key,
              r.getHeader().getRevision(),
              kv == null ? null : kv.getValue().toStringUtf8(),
              kv == null ? 0 : kv.getModRevision()));
    } catch (StatusRuntimeException e) {
      errors
          .computeIfAbsent("serializable " + e.getStatus().getCode(), k -> new AtomicLong())
          .incrementAndGet();
    }
  }

  /** The mod revision the client believes the key has now, for its next compare-and-set. */
  private static void remember(
      Map<String, Long> lastModRevision, String key, KvInput input, KvOutput out) {
    if (out instanceof KvOutput.GetOk g) {
      lastModRevision.put(key, g.kv() == null ? 0 : g.kv().modRevision());
    } else if (out.isWrite()) {
      lastModRevision.put(key, input instanceof KvInput.Delete ? 0 : out.revision());
    }
  }

  /** A refused connection: the request was never sent, so it certainly had no effect. */
  private static boolean neverSent(StatusRuntimeException e) {
    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
