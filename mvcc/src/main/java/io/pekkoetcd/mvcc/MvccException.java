package io.pekkoetcd.mvcc;

/** A domain error of the KV store (see {@link MvccError}); nothing was changed. */
public final class MvccException extends Exception {
  private static final long serialVersionUID = 1L;
  private final MvccError error;

  public MvccException(MvccError error) {
    super(error.name(), null, false, false);
    this.error = error;
  }

  public MvccError error() {
    return error;
  }
}
