package io.pekkoetcd.testkit.linearizability;

/**
 * What a client asked of one key: the operations of the etcd KV model the checker knows. Every
 * operation touches exactly one key, which is what makes the per-key decomposition valid.
 */
public sealed interface KvInput {
  String key();

  /** A Put of {@code value}; the workload writes every value once, so a value names its put. */
  record Put(String key, String value) implements KvInput {}

  /** A linearizable Range of one key (serializable reads are not linearizable: not modelled). */
  record Get(String key) implements KvInput {}

  /** A DeleteRange of one key. */
  record Delete(String key) implements KvInput {}

  /**
   * A Txn: if {@code mod_revision(key) == expectedModRevision} (0: the key does not exist, as etcd
   * compares a missing key) then Put {@code value}, else nothing.
   */
  record CompareAndSet(String key, long expectedModRevision, String value) implements KvInput {}
}
