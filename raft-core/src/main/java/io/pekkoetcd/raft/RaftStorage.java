package io.pekkoetcd.raft;

import java.util.List;

/**
 * The durable log as Raft reads it. The caller implements it (a WAL) and owns every write: it
 * appends the entries, hard state and snapshots handed out in each {@link Ready} before calling
 * {@code RawNode.advance}. Raft only reads through this interface, from the single thread that
 * drives the {@code RawNode}.
 *
 * <p>The log is the half-open index range [{@link #firstIndex()}, {@link #lastIndex()} + 1),
 * preceded by the snapshot at {@code firstIndex() - 1} whose term {@link #term} must still answer.
 */
public interface RaftStorage {

  /**
   * Hard state and membership to start from (membership as of the snapshot; later changes replay
   * from log).
   */
  InitialState initialState();

  /**
   * Entries in [lo, hi), at most {@code maxBytes} in total {@link Entry#sizeBytes()} but always at
   * least one if the range is non-empty.
   *
   * @throws LogCompactedException if lo &lt; firstIndex()
   * @throws LogUnavailableException if hi &gt; lastIndex() + 1
   */
  List<Entry> entries(long lo, long hi, long maxBytes);

  /**
   * Term of the entry at {@code index}, for index in [firstIndex() - 1, lastIndex()].
   *
   * @throws LogCompactedException below that range
   * @throws LogUnavailableException above it
   */
  long term(long index);

  /** Index of the first entry still in the log (snapshot index + 1). */
  long firstIndex();

  /**
   * Index of the last entry ({@code firstIndex() - 1} when the log after the snapshot is empty).
   */
  long lastIndex();

  /**
   * The most recent snapshot, sent to followers that need compacted entries.
   *
   * @throws SnapshotTemporarilyUnavailableException if the caller is still producing one; Raft
   *     retries later
   */
  Snapshot snapshot();
}
