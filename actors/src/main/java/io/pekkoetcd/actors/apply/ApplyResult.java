package io.pekkoetcd.actors.apply;

import com.google.protobuf.Message;
import io.pekkoetcd.actors.ServerError;
import io.pekkoetcd.mvcc.MvccError;
import io.pekkoetcd.protocol.mvccpb.Event;
import java.util.List;

/** The outcome of applying one committed entry. */
public sealed interface ApplyResult
    permits ApplyResult.Ok, ApplyResult.Failed, ApplyResult.Refused, ApplyResult.Skipped {

  long index();

  /**
   * The entry was applied.
   *
   * @param response PutResponse, DeleteRangeResponse, TxnResponse, CompactionResponse,
   *     LeaseGrantResponse or LeaseRevokeResponse (header: only revision); {@code
   *     com.google.protobuf.Empty} for a no-op entry
   * @param events the changes in sub-revision order (empty if nothing changed): PUT with the full
   *     kv, DELETE with only key and mod_revision; prev_kv set if the key existed (and the option
   *     is on)
   * @param revision the store revision after this entry
   */
  record Ok(long index, Message response, List<Event> events, long revision)
      implements ApplyResult {}

  /** The entry failed with a domain error; it changed nothing, but its index counts as applied. */
  record Failed(long index, MvccError error) implements ApplyResult {}

  /**
   * A membership change the membership refused (etcd's {@code ValidateConfigurationChange}): it
   * changed nothing, but its index counts as applied.
   */
  record Refused(long index, ServerError error) implements ApplyResult {}

  /** The entry's index was ≤ the consistent index (already applied before): nothing was done. */
  record Skipped(long index) implements ApplyResult {}
}
