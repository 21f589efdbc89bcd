package io.pekkoetcd.testkit.linearizability;

/**
 * The etcd KV model's state of one key, as far as the linearized operations so far determine it. A
 * write whose outcome was unknown took effect at a revision nobody was told: its revisions are 0
 * ("unknown") until a read reveals them.
 *
 * @param value null when the key does not exist
 * @param version puts since the key was created (exact: it does not depend on revisions)
 * @param modRevision the last put's revision; 0 when unknown (or the key does not exist)
 * @param createRevision the creating put's revision; 0 when unknown (or the key does not exist)
 * @param floor a revision the key's last change is known to be at or after: its own revision when
 *     known, else strictly after it. Every later change of the key has a greater revision.
 */
public record KeyState(
    String value, long version, long modRevision, long createRevision, long floor) {
  /** A key never written. */
  public static final KeyState ABSENT = new KeyState(null, 0, 0, 0, 0);

  public boolean exists() {
    return value != null;
  }

  /** Whether the last change's revision is not known, only that it is after {@link #floor}. */
  boolean modRevisionUnknown() {
    return exists() && modRevision == 0;
  }
}
