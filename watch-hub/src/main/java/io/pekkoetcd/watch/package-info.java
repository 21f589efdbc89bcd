/**
 * etcd's Watch API for one member.
 *
 * <p>{@link io.pekkoetcd.watch.WatchHub} receives the events of every applied revision from the KV
 * actor (one tell per apply batch) and forwards them to one {@link io.pekkoetcd.watch.WatchStream}
 * per gRPC Watch stream. Each stream owns its watchers — synced (served as revisions are applied),
 * unsynced (catching up from history through the {@link io.pekkoetcd.watch.WatchHistory} seam, in
 * batches of whole revisions) and victims (their response did not fit in the stream's bounded
 * buffer; they catch up once the client reads again) — and a bounded outbound buffer, so a slow
 * client never blocks the KV actor, the hub or other streams. The rules are in plain classes
 * ({@code WatcherSet}, {@code Watcher}, {@code WatchRange}); see DESIGN.md for the watcher state
 * diagram.
 *
 * <p>Whole streams end with a {@link io.pekkoetcd.watch.WatchError} (closed set, mapped at the gRPC
 * edge): {@code CANCELED} when the client cancels, {@code NO_LEADER} for streams opened with {@code
 * requireLeader} when the member tells the hub {@link io.pekkoetcd.watch.WatchHub.NoLeader}. The
 * hub reports open streams and watchers ({@link io.pekkoetcd.watch.WatchHub.GetStatus}) and gives
 * each stream its progress-notify interval with jitter from an injected random source ({@code
 * ProgressInterval}).
 */
package io.pekkoetcd.watch;
