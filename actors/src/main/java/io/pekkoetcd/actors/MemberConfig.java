package io.pekkoetcd.actors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one member needs to run, already validated and derived by the server from etcd's flags.
 *
 * @param name the member's name (--name)
 * @param memberId this member's ID, derived as etcd does ({@link MemberIds})
 * @param clusterId the cluster's ID, derived as etcd does
 * @param peerUrls this member's advertised peer URLs
 * @param clientUrls this member's advertised client URLs
 * @param dataDir the data directory; the MVCC store lives in {@code member/kv}
 * @param snapshotCount --snapshot-count: applied entries between WAL compactions, at most {@link
 *     #MAX_COMPACTION_INTERVAL} (see {@link #compactionInterval()})
 * @param snapshotCatchUpEntries entries kept in the WAL behind the durable applied index at a
 *     compaction, for slow followers to catch up from without a snapshot
 *     (--experimental-snapshot-catchup-entries, etcd: 5,000)
 * @param maxTxnOps --max-txn-ops
 * @param maxRequestBytes --max-request-bytes, checked on the marshaled internal request
 * @param requestTimeout how long a proposal may take before "request timed out" (etcd: 5 s + 2 ×
 *     election timeout)
 * @param maxPendingProposals proposals waiting for the WAL beyond which new ones get "too many
 *     requests"
 * @param initialVoters the member IDs of the initial cluster (--initial-cluster); used only by a
 *     new member to bootstrap its log; empty for a member that joined an existing cluster (it waits
 *     for the leader's snapshot instead)
 * @param heartbeatInterval the Raft tick (--heartbeat-interval)
 * @param electionTicks ticks without a leader before an election (--election-timeout /
 *     --heartbeat-interval)
 * @param raftSeed seeds the randomized election timeout (injected so that tests can replay a run)
 * @param watchProgressNotifyInterval --experimental-watch-progress-notify-interval (etcd: 10 min)
 * @param initialCluster every member of --initial-cluster (this one included), in its order: Raft
 *     IDs, names and peer URLs, from which the peer transport derives each member's address
 * @param leaseCheckpointInterval how often the leader checkpoints remaining lease TTLs through Raft
 *     (--experimental-enable-lease-checkpoint: etcd's 5 min); ZERO = never (etcd's default)
 * @param maintenance quota and auto-compaction
 * @param auth the auth store's settings (--auth-token, --auth-token-ttl, --bcrypt-cost)
 */
public record MemberConfig(
    String name,
    long memberId,
    long clusterId,
    List<String> peerUrls,
    List<String> clientUrls,
    Path dataDir,
    long snapshotCount,
    long snapshotCatchUpEntries,
    int maxTxnOps,
    long maxRequestBytes,
    Duration requestTimeout,
    int maxPendingProposals,
    List<Long> initialVoters,
    Duration heartbeatInterval,
    int electionTicks,
    long raftSeed,
    Duration watchProgressNotifyInterval,
    List<Peer> initialCluster,
    Duration leaseCheckpointInterval,
    Maintenance maintenance,
    Auth auth) {

  /**
   * etcd's auth settings.
   *
   * @param tokenType the --auth-token value ("simple", or "jwt,…" with its options)
   * @param tokenTtl a simple token's TTL, extended on each use (--auth-token-ttl, 300 s)
   * @param bcryptCost --bcrypt-cost (10)
   */
  public record Auth(String tokenType, Duration tokenTtl, int bcryptCost) {
    public static final Auth DEFAULTS = new Auth("simple", Duration.ofSeconds(300), 10);
  }

  /**
   * Quota and auto-compaction (etcd's {@code --quota-backend-bytes}, {@code --auto-compaction-*}).
   *
   * @param quotaBackendBytes the NOSPACE threshold; {@code Long.MAX_VALUE} = no quota
   * @param compactionPeriod periodic auto-compaction's retention; ZERO = off
   * @param compactionRevisions revision auto-compaction's retention; 0 = off
   * @param initialCorruptCheck compare this member's HashKV with its peers' before serving clients
   *     ({@code --experimental-initial-corrupt-check})
   * @param corruptCheckPeriod the leader's periodic corruption check ({@code
   *     --experimental-corrupt-check-time}); ZERO = off
   */
  public record Maintenance(
      long quotaBackendBytes,
      Duration compactionPeriod,
      long compactionRevisions,
      boolean initialCorruptCheck,
      Duration corruptCheckPeriod) {
    /** etcd's defaults: a 2 GiB quota, no auto-compaction, no corruption checks. */
    public static final Maintenance DEFAULTS =
        new Maintenance(2L * 1024 * 1024 * 1024, Duration.ZERO, 0);

    /** Without corruption checks (etcd's default). */
    public Maintenance(
        long quotaBackendBytes, Duration compactionPeriod, long compactionRevisions) {
      this(quotaBackendBytes, compactionPeriod, compactionRevisions, false, Duration.ZERO);
    }
  }

  /**
   * The most applied entries between two compactions of the Raft log, whatever {@code
   * --snapshot-count} says: etcd 3.6's default snapshot count. See {@link #compactionInterval()}.
   */
  public static final long MAX_COMPACTION_INTERVAL = 10_000;

  /**
   * Applied entries between compactions of the Raft log (in memory and in the WAL): {@code
   * --snapshot-count}, at most {@link #MAX_COMPACTION_INTERVAL}.
   *
   * <p>Why the cap: every entry between two compactions stays on the heap, and at etcd 3.4's
   * default of 100,000 that is 40–50 MiB of payloads that live long enough to reach the old
   * generation and then die together (docs/performance.md, "The launcher's collector"). In etcd a
   * snapshot writes the whole backend, so compacting seldom saves work; here the MVCC store is
   * already durable and a compaction is one small WAL event, so compacting often costs nothing but
   * catch-up distance, and that is {@link #snapshotCatchUpEntries} either way: right after a
   * compaction etcd too keeps only the catch-up tail, so a follower further behind may need a
   * snapshot in both.
   */
  public long compactionInterval() {
    return Math.min(snapshotCount, MAX_COMPACTION_INTERVAL);
  }

  /** A member of the initial cluster. */
  public record Peer(long id, String name, List<String> peerUrls) {}

  /**
   * The initial cluster's membership: every member of {@link #initialCluster} a voter, with its
   * name (client URLs come when it publishes them).
   */
  public io.pekkoetcd.actors.apply.Members initialMembers() {
    return io.pekkoetcd.actors.apply.Members.of(
        initialCluster.stream()
            .map(
                p ->
                    io.pekkoetcd.protocol.etcdserverpb.Member.newBuilder()
                        .setID(p.id())
                        .setName(p.name())
                        .addAllPeerURLs(p.peerUrls())
                        .build())
            .toList());
  }

  public Path kvDir() {
    return dataDir.resolve("member").resolve("kv");
  }

  public Path walDir() {
    return dataDir.resolve("member").resolve("wal");
  }

  public Path snapDir() {
    return dataDir.resolve("member").resolve("snap");
  }
}
