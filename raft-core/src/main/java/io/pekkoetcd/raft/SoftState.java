package io.pekkoetcd.raft;

/**
 * Volatile state worth telling the caller about when it changes: the known leader and this member's
 * role.
 */
public record SoftState(long leader, Role role) {}
