package io.pekkoetcd.mvcc;

/**
 * The LevelDB backend failed (I/O error, corruption). Unlike {@link MvccException} this is not a
 * client error: the in-memory index may no longer match the disk, so the store must be closed and
 * reopened (the Raft log replays what was lost after the consistent index).
 */
public final class MvccStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MvccStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
