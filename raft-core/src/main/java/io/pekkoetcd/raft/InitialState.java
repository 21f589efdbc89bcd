package io.pekkoetcd.raft;

/**
 * What a member recovers on start: its last persisted hard state and the membership of its
 * snapshot.
 */
public record InitialState(HardState hardState, ConfState confState) {}
