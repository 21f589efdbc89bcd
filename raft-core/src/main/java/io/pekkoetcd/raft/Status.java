package io.pekkoetcd.raft;

import java.util.Map;

/**
 * A read-only view of a member's Raft state (for status endpoints, metrics and tests).
 *
 * @param progress per-member replication progress, non-empty only on the leader
 */
public record Status(
    long id,
    HardState hardState,
    SoftState softState,
    long applied,
    long lastIndex,
    ConfState confState,
    long leadTransferee,
    Map<Long, ProgressView> progress) {}
