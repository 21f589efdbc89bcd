package io.pekkoetcd.testkit.linearizability;

import io.pekkoetcd.testkit.linearizability.KvInput.CompareAndSet;
import io.pekkoetcd.testkit.linearizability.KvInput.Delete;
import io.pekkoetcd.testkit.linearizability.KvInput.Get;
import io.pekkoetcd.testkit.linearizability.KvInput.Put;
import io.pekkoetcd.testkit.linearizability.KvOutput.CasOk;
import io.pekkoetcd.testkit.linearizability.KvOutput.DeleteOk;
import io.pekkoetcd.testkit.linearizability.KvOutput.GetOk;
import io.pekkoetcd.testkit.linearizability.KvOutput.Kv;
import io.pekkoetcd.testkit.linearizability.KvOutput.PutOk;

/**
 * etcd's KV semantics for one key, as a sequential specification: {@link #step} says whether an
 * operation with its answer may take effect in a given {@link KeyState}, and the state after it.
 *
 * <p>Revisions are checked as far as one key can see them: a change's revision is greater than
 * every earlier change's of the key; a read returns the last put's value, version, mod and create
 * revisions, at a header revision no earlier than that put; a delete reports whether the key
 * existed. Revision order across keys is {@link RevisionOrder}'s.
 *
 * <p>An operation with an unknown outcome ({@code output == null}) is stepped as if it succeeded,
 * at a revision nobody learned: not taking effect at all is the checker's other choice (never
 * linearizing it), so it need not be a state here. Reads never have unknown outcomes (a failed read
 * has no effect and is left out).
 */
public final class KvModel {
  private KvModel() {}

  /**
   * The state after {@code input} answered with {@code output} (null: unknown), or null if the
   * answer is impossible in {@code s}.
   */
  public static KeyState step(KeyState s, KvInput input, KvOutput output) {
    if (input instanceof Put p) {
      return put(s, p.value(), output == null ? 0 : ((PutOk) output).revision());
    } else if (input instanceof Get) {
      return get(s, (GetOk) output);
    } else if (input instanceof Delete) {
      return delete(s, (DeleteOk) output);
    } else {
      return compareAndSet(s, (CompareAndSet) input, (CasOk) output);
    }
  }

  /** A put of {@code value} at {@code revision} (0: unknown, after the floor). */
  private static KeyState put(KeyState s, String value, long revision) {
    if (revision != 0 && revision <= s.floor()) {
      return null;
    }
    long create = s.exists() ? s.createRevision() : revision;
    return new KeyState(
        value, s.version() + 1, revision, create, revision == 0 ? s.floor() : revision);
  }

  private static KeyState get(KeyState s, GetOk out) {
    Kv kv = out.kv();
    if (kv == null) {
      return s.exists() || out.revision() < s.floor() ? null : s;
    }
    if (!s.exists()
        || !kv.value().equals(s.value())
        || kv.version() != s.version()
        || out.revision() < kv.modRevision()) {
      return null;
    }
    KeyState learned = learnModRevision(s, kv.modRevision());
    if (learned == null) {
      return null;
    }
    long create = learned.createRevision();
    if (create != 0 && create != kv.createRevision()) {
      return null;
    }
    if (create == 0 && kv.createRevision() > kv.modRevision()) {
      return null;
    }
    return new KeyState(
        learned.value(),
        learned.version(),
        learned.modRevision(),
        kv.createRevision(),
        learned.floor());
  }

  /**
   * {@code s} with its last put's revision now known to be {@code modRevision}, or null if it
   * cannot be. The creating put of version 1 is the last put: its create revision is the same.
   */
  private static KeyState learnModRevision(KeyState s, long modRevision) {
    if (!s.modRevisionUnknown()) {
      return s.modRevision() == modRevision ? s : null;
    }
    if (modRevision <= s.floor()) {
      return null;
    }
    long create = s.version() == 1 ? modRevision : s.createRevision();
    if (s.version() == 1 && s.createRevision() != 0 && s.createRevision() != modRevision) {
      return null;
    }
    return new KeyState(s.value(), s.version(), modRevision, create, modRevision);
  }

  private static KeyState delete(KeyState s, DeleteOk out) {
    if (out == null) {
      return s.exists() ? new KeyState(null, 0, 0, 0, s.floor()) : s;
    }
    if (out.deleted() == 0) {
      return s.exists() || out.revision() < s.floor() ? null : s;
    }
    if (!s.exists() || out.deleted() != 1 || out.revision() <= s.floor()) {
      return null;
    }
    return new KeyState(null, 0, 0, 0, out.revision());
  }

  private static KeyState compareAndSet(KeyState s, CompareAndSet c, CasOk out) {
    if (out != null && !out.succeeded()) {
      return compareCanFail(s, c.expectedModRevision()) && out.revision() >= s.floor() ? s : null;
    }
    KeyState compared;
    if (!s.exists()) {
      compared = c.expectedModRevision() == 0 ? s : null;
    } else {
      compared = c.expectedModRevision() == 0 ? null : learnModRevision(s, c.expectedModRevision());
    }
    return compared == null ? null : put(compared, c.value(), out == null ? 0 : out.revision());
  }

  /** Whether {@code mod_revision(key) != expected} may hold in {@code s}. */
  private static boolean compareCanFail(KeyState s, long expected) {
    if (!s.exists()) {
      return expected != 0;
    }
    // An unknown mod revision is after the floor: it may differ from anything.
    return s.modRevisionUnknown() || s.modRevision() != expected;
  }
}
