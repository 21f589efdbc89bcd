package io.pekkoetcd.raft;

/** What an {@link Entry}'s data means to the caller. */
public enum EntryType {
  /** Opaque application data (an empty payload is the leader's no-op of its term). */
  NORMAL,
  /**
   * A {@link ConfChange} encoded with {@link ConfChange#encode()}; apply it with {@code
   * RawNode.applyConfChange}.
   */
  CONF_CHANGE
}
