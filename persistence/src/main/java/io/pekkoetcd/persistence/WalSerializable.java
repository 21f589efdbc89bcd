package io.pekkoetcd.persistence;

/**
 * Marker for everything the WAL writes to the journal or the snapshot store. Bound to Pekko's
 * {@code jackson-cbor} serializer in this module's {@code reference.conf}; byte payloads are
 * written as CBOR byte strings, not base64.
 */
public interface WalSerializable {}
