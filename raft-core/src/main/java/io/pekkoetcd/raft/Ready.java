package io.pekkoetcd.raft;

import java.util.List;
import java.util.Optional;

/**
 * Everything the caller must do after driving a {@link RawNode}, in this order:
 *
 * <ol>
 *   <li>Persist {@link #snapshot()} (if present), then {@link #entries()} (an entry at an index
 *       already in the log replaces that entry and everything after it), then {@link #hardState()}
 *       (if present). If {@link #mustSync()} the write must be durable (fsync) before the next
 *       step.
 *   <li>Only then send {@link #messages()}. <b>Durability contract:</b> a message of this Ready may
 *       promise what is persisted in this same Ready (a vote, an acknowledged entry), so it must
 *       never leave before the entries and hard state of this Ready are durable.
 *   <li>Apply the snapshot to the state machine, then apply {@link #committedEntries()} in order
 *       (calling {@code applyConfChange} for each {@link EntryType#CONF_CHANGE} entry). Committed
 *       entries are safe to apply once the entries of this Ready are persisted.
 *   <li>Serve {@link #readStates()}: each becomes readable once the applied index reaches it.
 *   <li>Call {@code RawNode.advance(this)}.
 * </ol>
 *
 * <p>Lists are immutable. An absent optional means "unchanged since the last Ready".
 *
 * @param softState the leader and role, if either changed
 * @param hardState term, vote and commit, if any changed
 * @param readStates answered read-index requests
 * @param entries entries to append to stable storage
 * @param snapshot a snapshot received from the leader, to persist and apply
 * @param committedEntries committed entries to apply, in log order
 * @param messages messages to send after persisting (to any member; order within one destination
 *     matters little: the protocol tolerates reordering)
 * @param mustSync whether the write above must be synced to disk (a new term, vote, or entries)
 */
public record Ready(
    Optional<SoftState> softState,
    Optional<HardState> hardState,
    List<ReadState> readStates,
    List<Entry> entries,
    Optional<Snapshot> snapshot,
    List<Entry> committedEntries,
    List<Message> messages,
    boolean mustSync) {

  public Ready {
    readStates = List.copyOf(readStates);
    entries = List.copyOf(entries);
    committedEntries = List.copyOf(committedEntries);
    messages = List.copyOf(messages);
  }
}
