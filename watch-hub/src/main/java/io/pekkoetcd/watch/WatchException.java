package io.pekkoetcd.watch;

/** A Watch stream ended by the hub for {@link #error()}; the gRPC edge maps it to etcd's status. */
public final class WatchException extends RuntimeException {
  private final WatchError error;

  public WatchException(WatchError error) {
    super(error.name(), null, false, false);
    this.error = error;
  }

  public WatchError error() {
    return error;
  }
}
