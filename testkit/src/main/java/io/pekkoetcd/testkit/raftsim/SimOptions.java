package io.pekkoetcd.testkit.raftsim;

/**
 * Shape of one simulated run. Probabilities are per step (chaos phase) or per delivered message.
 *
 * @param members initial voters (ids 1..members)
 * @param steps chaos steps before the liveness phase
 * @param dropRate chance a delivered message is lost instead
 * @param duplicateRate chance a delivered message stays in the network for a second delivery
 * @param membershipChanges whether to add, promote and remove members
 * @param trace record a human-readable event trace (for replaying one seed)
 */
public record SimOptions(
    int members,
    int steps,
    double dropRate,
    double duplicateRate,
    boolean membershipChanges,
    boolean trace) {

  public static SimOptions of(int members, int steps) {
    return new SimOptions(members, steps, 0.05, 0.02, true, false);
  }

  public SimOptions withTrace(boolean on) {
    return new SimOptions(members, steps, dropRate, duplicateRate, membershipChanges, on);
  }

  public SimOptions withMembershipChanges(boolean on) {
    return new SimOptions(members, steps, dropRate, duplicateRate, on, trace);
  }
}
