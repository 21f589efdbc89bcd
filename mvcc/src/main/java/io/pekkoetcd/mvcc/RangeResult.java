package io.pekkoetcd.mvcc;

import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.List;

/**
 * The answer of a {@link ReadView#range}.
 *
 * @param kvs the keys that existed at the read revision, in key order (unsigned bytes), at most
 *     {@link RangeOptions#limit()}; empty for a count-only range
 * @param rev the view's revision (not the read revision): what etcd puts in the response header
 * @param count how many keys of the range existed at the read revision, ignoring the limit
 */
public record RangeResult(List<KeyValue> kvs, long rev, long count) {}
