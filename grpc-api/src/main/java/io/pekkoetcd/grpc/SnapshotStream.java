package io.pekkoetcd.grpc;

import com.google.protobuf.ByteString;
import io.pekkoetcd.actors.ClientSnapshots;
import io.pekkoetcd.protocol.etcdserverpb.SnapshotResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Maintenance.Snapshot's answer, as etcd 3.4 sends it: the backend file in 32 KiB blobs, each with
 * the bytes still to come ({@code remaining_bytes}), then one last message of {@code
 * remaining_bytes} 0 whose blob is the SHA-256 of the file (computed when the file was written;
 * what {@code snapshot restore} checks). The file is deleted when the stream ends, whichever way.
 */
final class SnapshotStream {
  private SnapshotStream() {}

  /** etcd's {@code snapshotSendBufferSize}. */
  static final int CHUNK = 32 * 1024;

  static Source<SnapshotResponse, NotUsed> of(ClientSnapshots.File snapshot) {
    Path file = snapshot.path();
    long total;
    try {
      total = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long[] sent = {0};
    return FileIO.fromPath(file, CHUNK)
        .map(
            bytes -> {
              byte[] blob = bytes.toArray();
              sent[0] += blob.length;
              return SnapshotResponse.newBuilder()
                  .setRemainingBytes(total - sent[0])
                  .setBlob(ByteString.copyFrom(blob))
                  .build();
            })
        .concat(
            Source.single(
                SnapshotResponse.newBuilder()
                    .setRemainingBytes(0)
                    .setBlob(ByteString.copyFrom(snapshot.sha256()))
                    .build()))
        .watchTermination(
            (io, done) -> {
              done.whenComplete((d, e) -> deleteQuietly(file));
              return NotUsed.getInstance();
            });
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover is deleted at the member's next start
    }
  }
}
