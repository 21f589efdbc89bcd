package io.pekkoetcd.watch;

import java.time.Duration;

/**
 * What the watch hub needs to know about its member.
 *
 * @param clusterId the cluster ID every response header carries
 * @param memberId this member's ID every response header carries
 * @param progressNotifyInterval how often watchers created with {@code progress_notify} that
 *     received nothing get a progress notification (etcd: {@code
 *     --experimental-watch-progress-notify-interval}, default 10 min), as configured: each stream
 *     adjusts it as etcd does (zero → 10 min, below 100 ms → 100 ms) and adds its own jitter of up
 *     to 10 % ({@link ProgressInterval})
 * @param fragmentBytes responses of at least this size with two or more events are split for
 *     watchers that asked for {@code fragment} (etcd: --max-request-bytes + 512 KiB)
 * @param streamBuffer responses with events one stream may buffer for a client that does not read
 *     (etcd's per-stream channel holds 128), besides at most as many handed to the gRPC stream as
 *     one batch; a watcher whose response does not fit becomes a victim and catches up from history
 *     later
 * @param maxRevisionsPerRead revisions per history read and per catch-up response (etcd: 1000)
 */
public record WatchSettings(
    long clusterId,
    long memberId,
    Duration progressNotifyInterval,
    long fragmentBytes,
    int streamBuffer,
    int maxRevisionsPerRead) {

  public WatchSettings {
    if (streamBuffer < 2 || maxRevisionsPerRead < 1 || progressNotifyInterval.isNegative()) {
      throw new IllegalArgumentException("invalid watch settings");
    }
  }

  /** etcd's defaults for a member with {@code --max-request-bytes = maxRequestBytes}. */
  public static WatchSettings defaults(long clusterId, long memberId, long maxRequestBytes) {
    return new WatchSettings(
        clusterId, memberId, Duration.ofMinutes(10), maxRequestBytes + 512 * 1024, 128, 1000);
  }

  public WatchSettings withProgressNotifyInterval(Duration d) {
    return new WatchSettings(
        clusterId, memberId, d, fragmentBytes, streamBuffer, maxRevisionsPerRead);
  }

  public WatchSettings withStreamBuffer(int n) {
    return new WatchSettings(
        clusterId, memberId, progressNotifyInterval, fragmentBytes, n, maxRevisionsPerRead);
  }
}
