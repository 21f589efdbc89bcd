package io.pekkoetcd.actors;

import io.pekkoetcd.mvcc.MvccImport;
import io.pekkoetcd.mvcc.MvccOptions;
import io.pekkoetcd.mvcc.MvccStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a received MVCC snapshot lives on a follower, and the crash-safe swap of the store. All
 * under the member directory, so every rename stays on one file system:
 *
 * <pre>
 *   member/snap/kv-&lt;transfer id&gt;.part   a LevelDB being received (deleted on start: an unfinished transfer)
 *   member/snap/kv-&lt;raft index&gt;.db      a complete, checksum-verified store for the snapshot at that index
 *   member/kv.old/                          the replaced store during a swap (deleted right after)
 * </pre>
 *
 * <p>Crash-safety order (as etcd: the snapshot db is saved first, the WAL records the snapshot
 * second, the backend is swapped last): (1) the receiver publishes {@code kv-<index>.db} (fsynced,
 * renamed from {@code .part}); (2) only then is the MsgSnap stepped into Raft, and the WAL records
 * the new log start (fsynced); (3) only then does the KV actor {@link #swapIn} the store. After a
 * crash before (2) the member has the old store and the old WAL (the staged db is garbage). After
 * (2) but before (3) the WAL starts after the store's consistent index; on restart the Raft node
 * asks the KV actor to install again, from the staged db, which is deleted only once the swap is
 * done. A crash inside (3), between its two renames, leaves no {@code kv}: {@link #recover} moves
 * {@code kv.old} back, and the install is redone as in the previous case.
 */
final class SnapshotFiles {
  private SnapshotFiles() {}

  private static final String PREFIX = "kv-";
  private static final String PART = ".part";
  private static final String DB = ".db";

  /** Where transfer {@code transferId} is received. */
  static Path staging(Path snapDir, long transferId) {
    return snapDir.resolve(PREFIX + Long.toHexString(transferId) + PART);
  }

  /** Where the complete store for the snapshot at {@code index} waits for its install. */
  static Path staged(Path snapDir, long index) {
    return snapDir.resolve(String.format("%s%016x%s", PREFIX, index, DB));
  }

  /**
   * Makes a completely received, durable store the staged store for {@code index}. If one is staged
   * there already it is kept (any image at or after {@code index} serves that snapshot, and the KV
   * actor may be moving it), and {@code staging} is deleted.
   */
  static void publish(Path staging, Path snapDir, long index) throws IOException {
    Path target = staged(snapDir, index);
    if (Files.exists(target)) {
      MvccImport.deleteRecursively(staging);
      return;
    }
    fsyncDir(staging);
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(snapDir);
  }

  /**
   * Replaces the store in {@code kvDir} by the staged store {@code staged}; the store must be
   * closed.
   */
  static void swapIn(Path staged, Path kvDir) throws IOException {
    Path old = kvDir.resolveSibling(kvDir.getFileName() + ".old");
    MvccImport.deleteRecursively(old);
    if (Files.exists(kvDir)) {
      Files.move(kvDir, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staged, kvDir, StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(kvDir.getParent());
    fsyncDir(staged.getParent());
    MvccImport.deleteRecursively(old);
  }

  /**
   * Closes {@code current} and opens the store staged for the snapshot at {@code index} in its
   * place ({@link #swapIn}).
   *
   * @throws IllegalStateException when nothing is staged for {@code index} (the WAL starts after
   *     what {@code current} holds and nothing can fill the gap: applying on would corrupt the
   *     store), or the installed store is below {@code index}
   */
  static MvccStore install(MvccStore current, long index, MemberConfig config, MvccOptions options)
      throws IOException {
    Path staged = staged(config.snapDir(), index);
    if (!Files.isDirectory(staged)) {
      throw new IllegalStateException(
          "the Raft log starts at snapshot index "
              + index
              + " but the MVCC store is at consistent index "
              + current.consistentIndex()
              + " and no staged store exists at "
              + staged);
    }
    current.close();
    swapIn(staged, config.kvDir());
    MvccStore installed = MvccStore.open(config.kvDir(), options);
    if (installed.consistentIndex() < index) {
      installed.close();
      throw new IllegalStateException(
          "installed store is at consistent index "
              + installed.consistentIndex()
              + ", below snapshot "
              + index);
    }
    return installed;
  }

  /**
   * On start, before the store is opened: undo a swap interrupted between its renames (the install
   * is redone from the staged store, which still exists), drop what a finished swap left, and
   * delete unfinished transfers.
   */
  static void recover(Path kvDir, Path snapDir) {
    Path old = kvDir.resolveSibling(kvDir.getFileName() + ".old");
    try {
      if (!Files.exists(kvDir) && Files.exists(old)) {
        Files.move(old, kvDir, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(kvDir.getParent());
      } else {
        MvccImport.deleteRecursively(old);
      }
      for (Path p : list(snapDir)) {
        String name = p.getFileName().toString();
        if (name.endsWith(PART) || ClientSnapshots.isLeftover(name)) {
          MvccImport.deleteRecursively(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recover " + kvDir, e);
    }
  }

  /**
   * Deletes staged stores for snapshots at or below {@code index}: the store already holds them.
   */
  static void deleteStagedUpTo(Path snapDir, long index) throws IOException {
    for (Path p : list(snapDir)) {
      String name = p.getFileName().toString();
      if (name.startsWith(PREFIX) && name.endsWith(DB)) {
        long at =
            Long.parseUnsignedLong(
                name.substring(PREFIX.length(), name.length() - DB.length()), 16);
        if (at <= index) {
          MvccImport.deleteRecursively(p);
        }
      }
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** Makes a directory's entries (creations, renames) durable. */
  static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
