package io.pekkoetcd.testkit.linearizability;

/**
 * What a client was answered, for an operation that completed ({@link Operation.Outcome#OK}).
 * {@code revision} is always the response header's revision: for a write that changed the key it is
 * the write's own revision; for a read, a delete of nothing, or a failed compare it is the store's
 * revision when it was served.
 */
public sealed interface KvOutput {
  long revision();

  /** Whether the operation changed the store, so that {@link #revision} is its own new revision. */
  boolean isWrite();

  /** The key as a Range returned it. */
  record Kv(String value, long modRevision, long createRevision, long version) {}

  record PutOk(long revision) implements KvOutput {
    @Override
    public boolean isWrite() {
      return true;
    }
  }

  /** A Range answer: {@code kv} is null when the key does not exist. */
  record GetOk(long revision, Kv kv) implements KvOutput {
    @Override
    public boolean isWrite() {
      return false;
    }
  }

  record DeleteOk(long revision, long deleted) implements KvOutput {
    @Override
    public boolean isWrite() {
      return deleted > 0;
    }
  }

  record CasOk(long revision, boolean succeeded) implements KvOutput {
    @Override
    public boolean isWrite() {
      return succeeded;
    }
  }
}
