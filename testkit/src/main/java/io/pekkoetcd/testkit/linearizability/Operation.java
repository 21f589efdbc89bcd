package io.pekkoetcd.testkit.linearizability;

/**
 * One operation of a history: which client invoked what, when ({@link System#nanoTime} at
 * invocation and completion), and how it ended. Times only order operations: {@code a} precedes
 * {@code b} in real time iff {@code a.completed() < b.invoked()}.
 *
 * @param output the answer, non-null exactly when {@code outcome} is OK
 * @param completed {@link Long#MAX_VALUE} when the outcome is UNKNOWN (it may take effect at any
 *     time after its invocation, or never)
 */
public record Operation(
    int id,
    int client,
    KvInput input,
    Outcome outcome,
    KvOutput output,
    long invoked,
    long completed) {

  /** How an operation ended, as Jepsen distinguishes them. */
  public enum Outcome {
    /** Answered: it took effect exactly once, between invocation and completion. */
    OK,
    /** Certainly without effect (e.g. a read that failed): left out of the check. */
    FAIL,
    /** The client does not know (timeout, connection lost): it may or may not have taken effect. */
    UNKNOWN
  }

  public Operation {
    if ((outcome == Outcome.OK) != (output != null)) {
      throw new IllegalArgumentException("an output exactly for OK operations: " + outcome);
    }
    if (outcome == Outcome.UNKNOWN) {
      completed = Long.MAX_VALUE;
    }
    if (completed < invoked) {
      throw new IllegalArgumentException("completed before invoked: " + invoked + ">" + completed);
    }
  }

  public boolean precedes(Operation other) {
    return completed < other.invoked;
  }

  @Override
  public String toString() {
    String time = outcome == Outcome.UNKNOWN ? invoked + "..?" : invoked + ".." + completed;
    return "#"
        + id
        + " c"
        + client
        + " "
        + input
        + " -> "
        + outcome
        + (output == null ? "" : " " + output)
        + " ["
        + time
        + "]";
  }
}
