package io.pekkoetcd.mvcc;

import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.List;

/**
 * The answer of a {@link WriteView#deleteRange}.
 *
 * @param deleted how many keys were deleted
 * @param rev the txn's revision after the delete (the new revision if the txn changed anything)
 * @param prevKvs the deleted keys as they were, in key order, if asked for; otherwise empty
 */
public record DeleteResult(long deleted, long rev, List<KeyValue> prevKvs) {}
