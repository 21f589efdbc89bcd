package io.pekkoetcd.actors;

import io.pekkoetcd.actors.metrics.MemberMetrics;
import io.pekkoetcd.raft.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's {@code etcd_network_peer_round_trip_time_seconds{To}} from Raft's own heartbeats: the time
 * from a leader's heartbeat to a peer until that peer's heartbeat response steps into this node
 * (Artery both ways plus the peer's handling, as etcd's prober measures a round trip to the peer's
 * handler). One heartbeat per peer is timed at a time, so a late answer is never matched with a
 * newer heartbeat. Owned by the Raft node's actor; only a leader sends heartbeats.
 */
final class PeerRoundTrips {
  private final MemberMetrics metrics;
  private final Map<Long, Long> outstanding = new HashMap<>();

  PeerRoundTrips(MemberMetrics metrics) {
    this.metrics = metrics;
  }

  /** Messages sent to peers: start timing heartbeats to peers not being timed. */
  void sent(List<Message> messages) {
    for (Message m : messages) {
      if (m instanceof Message.MsgHeartbeat) {
        outstanding.putIfAbsent(m.to(), System.nanoTime());
      }
    }
  }

  /** A message from a peer: a heartbeat response ends its peer's round trip. */
  void received(Message m) {
    if (m instanceof Message.MsgHeartbeatResp) {
      Long started = outstanding.remove(m.from());
      if (started != null) {
        metrics.peerRoundTrip(m.from(), (System.nanoTime() - started) / 1e9);
      }
    }
  }
}
