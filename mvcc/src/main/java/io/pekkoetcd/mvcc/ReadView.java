package io.pekkoetcd.mvcc;

import com.google.protobuf.ByteString;

/**
 * Reads of the key space at one revision (etcd's {@code ReadView}). Keys and range ends follow
 * etcd's request convention (see {@code KeyRange}): an empty {@code end} is the single key {@code
 * key}; {@code end = "\0"} is every key ≥ {@code key}; otherwise the half-open {@code [key, end)}.
 */
public interface ReadView {

  /** The compacted revision: history below it is gone (-1 if never compacted). */
  long firstRev();

  /** The revision this view reads at. */
  long rev();

  /**
   * The keys of a range at {@code options.rev()} (0 = {@link #rev()}).
   *
   * @throws MvccException FUTURE_REV if that revision is above {@link #rev()}, COMPACTED if it is
   *     below {@link #firstRev()}; both before anything is read
   */
  RangeResult range(ByteString key, ByteString end, RangeOptions options) throws MvccException;
}
