package io.pekkoetcd.actors;

import io.pekkoetcd.mvcc.EtcdBackendExport;
import io.pekkoetcd.mvcc.MvccExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Maintenance.Snapshot's file: etcd's backend database (bbolt) of the store at one point in time.
 * The KV actor takes a LevelDB snapshot between two apply batches ({@link KvActor.ExportSnapshot},
 * cheap, so writes go on); the file is written from it on {@code pekko-etcd.snapshot-dispatcher},
 * as {@code member/snap/client-*.db.tmp}. The caller streams it and deletes it; leftovers of a
 * crash are deleted at start ({@link SnapshotFiles#recover}).
 */
public final class ClientSnapshots {
  private ClientSnapshots() {}

  static final String PREFIX = "client-";
  static final String SUFFIX = ".db.tmp";

  /** The file and the SHA-256 of its bytes (the snapshot's trailer). */
  public record File(Path path, byte[] sha256) {}

  static CompletionStage<File> write(
      ActorSystem<?> system, ActorRef<KvActor.Command> kv, Path snapDir, Duration timeout) {
    Executor blocking =
        system.dispatchers().lookup(DispatcherSelector.fromConfig(RaftNode.SNAPSHOT_DISPATCHER));
    return AskPattern.<KvActor.Command, KvActor.Exported>ask(
            kv, KvActor.ExportSnapshot::new, timeout, system.scheduler())
        .thenApplyAsync(
            exported -> {
              if (exported.failure() != null) {
                throw new IllegalStateException("cannot export the store", exported.failure());
              }
              try (MvccExport export = exported.export()) {
                Files.createDirectories(snapDir);
                Path file = Files.createTempFile(snapDir, PREFIX, SUFFIX);
                try {
                  EtcdBackendExport.write(export, file);
                  return new File(file, sha256(file));
                } catch (IOException | RuntimeException e) {
                  Files.deleteIfExists(file);
                  throw e;
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            blocking);
  }

  private static byte[] sha256(Path file) throws IOException {
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has SHA-256", e);
    }
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        sha.update(buf, 0, n);
      }
    }
    return sha.digest();
  }

  /** Whether {@code name} is a snapshot file that a crash left behind (deleted at start). */
  static boolean isLeftover(String name) {
    return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
  }
}
