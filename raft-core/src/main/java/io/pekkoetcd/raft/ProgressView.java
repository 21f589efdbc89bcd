package io.pekkoetcd.raft;

/** A snapshot of the leader's {@link Progress} for one member, for status output and metrics. */
public record ProgressView(
    long match, long next, ProgressState state, boolean learner, int inflight) {

  static ProgressView of(Progress p) {
    return new ProgressView(p.match, p.next, p.state, p.learner, p.inflights.count());
  }

  @Override
  public String toString() {
    return state
        + " match="
        + match
        + " next="
        + next
        + (learner ? " learner" : "")
        + (inflight > 0 ? " inflight=" + inflight : "");
  }
}
