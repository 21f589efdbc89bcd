package io.pekkoetcd.persistence;

/**
 * Marker for everything the WAL writes to the journal or the snapshot store. Bound to {@link
 * WalSerializer} (protobuf) in this module's {@code reference.conf}.
 */
public interface WalSerializable {}
