package io.pekkoetcd.actors;

/** A request failed with one of the member's own {@link ServerError}s. */
public final class ServerException extends RuntimeException {
  private final ServerError error;

  public ServerException(ServerError error) {
    super(error.name(), null, false, false);
    this.error = error;
  }

  public ServerError error() {
    return error;
  }
}
