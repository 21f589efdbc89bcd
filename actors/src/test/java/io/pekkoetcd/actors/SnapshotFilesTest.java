package io.pekkoetcd.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staged-store files and the store swap, including the states a crash can leave behind. */
class SnapshotFilesTest {
  @TempDir Path member;

  private Path dirWith(Path dir, String marker) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("marker"), marker);
    return dir;
  }

  private static String marker(Path dir) throws Exception {
    return Files.readString(dir.resolve("marker"));
  }

  @Test
  void publishKeepsAnAlreadyStagedStoreAndDeletesTheNewOne() throws Exception {
    Path snap = Files.createDirectories(member.resolve("snap"));
    SnapshotFiles.publish(dirWith(SnapshotFiles.staging(snap, 1), "first"), snap, 100);
    SnapshotFiles.publish(dirWith(SnapshotFiles.staging(snap, 2), "second"), snap, 100);
    assertThat(marker(SnapshotFiles.staged(snap, 100))).isEqualTo("first");
    assertThat(SnapshotFiles.staging(snap, 2)).doesNotExist();
  }

  @Test
  void swapReplacesTheStoreAndLeavesNothingBehind() throws Exception {
    Path snap = Files.createDirectories(member.resolve("snap"));
    Path kv = dirWith(member.resolve("kv"), "old");
    SnapshotFiles.publish(dirWith(SnapshotFiles.staging(snap, 7), "new"), snap, 100);
    SnapshotFiles.swapIn(SnapshotFiles.staged(snap, 100), kv);
    assertThat(marker(kv)).isEqualTo("new");
    assertThat(member.resolve("kv.old")).doesNotExist();
    assertThat(SnapshotFiles.staged(snap, 100)).doesNotExist();
  }

  @Test
  void recoverUndoesASwapInterruptedBetweenItsRenamesAndDropsUnfinishedTransfers()
      throws Exception {
    Path snap = Files.createDirectories(member.resolve("snap"));
    // Crash after "kv → kv.old", before "staged → kv": the staged store is still there for the
    // install to redo.
    dirWith(member.resolve("kv.old"), "old");
    SnapshotFiles.publish(dirWith(SnapshotFiles.staging(snap, 7), "new"), snap, 100);
    dirWith(SnapshotFiles.staging(snap, 8), "unfinished");
    SnapshotFiles.recover(member.resolve("kv"), snap);
    assertThat(marker(member.resolve("kv"))).isEqualTo("old");
    assertThat(member.resolve("kv.old")).doesNotExist();
    assertThat(SnapshotFiles.staging(snap, 8)).doesNotExist();
    assertThat(marker(SnapshotFiles.staged(snap, 100))).isEqualTo("new");
    // Crash after the swap, before kv.old was deleted: the new store stays.
    dirWith(member.resolve("kv.old"), "older");
    SnapshotFiles.recover(member.resolve("kv"), snap);
    assertThat(marker(member.resolve("kv"))).isEqualTo("old");
    assertThat(member.resolve("kv.old")).doesNotExist();
  }

  @Test
  void stagedStoresAtOrBelowTheStoresIndexAreDeleted() throws Exception {
    Path snap = Files.createDirectories(member.resolve("snap"));
    SnapshotFiles.publish(dirWith(SnapshotFiles.staging(snap, 1), "a"), snap, 100);
    SnapshotFiles.publish(dirWith(SnapshotFiles.staging(snap, 2), "b"), snap, 300);
    Files.writeString(
        snap.resolve("snapshot-raft-wal-1-10-123"), "pekko's snapshot store: untouched");
    SnapshotFiles.deleteStagedUpTo(snap, 200);
    assertThat(SnapshotFiles.staged(snap, 100)).doesNotExist();
    assertThat(SnapshotFiles.staged(snap, 300)).exists();
    assertThat(snap.resolve("snapshot-raft-wal-1-10-123")).exists();
  }
}
