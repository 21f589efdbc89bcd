package io.pekkoetcd.raft;

/**
 * Thrown by {@code RawNode.propose}, {@code proposeConfChange} and {@code readIndex} when the local
 * member cannot accept the request now. Nothing was appended; the caller may retry later. A
 * proposal that was forwarded to the leader and lost there is not reported: callers time such
 * requests out.
 */
public final class ProposalDropped extends RuntimeException {

  private final DropReason reason;

  public ProposalDropped(DropReason reason) {
    super("proposal dropped: " + reason, null, false, false);
    this.reason = reason;
  }

  public DropReason reason() {
    return reason;
  }
}
