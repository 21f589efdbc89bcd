package io.pekkoetcd.server;

import io.pekkoetcd.actors.MemberConfig;
import io.pekkoetcd.bbolt.SnapshotTrailer;
import io.pekkoetcd.mvcc.EtcdBackendImport;
import io.pekkoetcd.server.config.ConfigException;
import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pekko-etcdutl snapshot restore}: a data dir for a member of a new cluster from etcd's
 * backend file (ours or real etcd's). Takes etcdutl's flags, which are etcd's own ({@code --name},
 * {@code --data-dir}, {@code --initial-cluster}, {@code --initial-cluster-token}, {@code
 * --initial-advertise-peer-urls}), checked by the member's own parser (the member must be in the
 * initial cluster with its advertised peer URLs), plus {@code --skip-hash-check}.
 *
 * <p>As etcd: the data dir must not exist; the snapshot's SHA-256 trailer is checked (a file copied
 * from a data dir has none: then {@code --skip-hash-check} is required). The restored store is
 * {@code member/kv} with every revision, lease and the compacted revision and a consistent index of
 * 0; there is no WAL yet, so the member started with the same flags bootstraps the new cluster from
 * {@code --initial-cluster} over that store. Restore each member's dir from the same file.
 */
final class SnapshotRestore {
  private SnapshotRestore() {}

  static void restore(Path file, List<String> flags, PrintStream out)
      throws IOException, ConfigException, Etcdutl.UsageException {
    List<String> memberFlags = new ArrayList<>();
    boolean skipHashCheck = false;
    for (String f : flags) {
      if (f.equals("--skip-hash-check") || f.equals("--skip-hash-check=true")) {
        skipHashCheck = true;
      } else if (f.equals("--skip-hash-check=false")) {
        skipHashCheck = false;
      } else if (f.startsWith("--wal-dir")) {
        throw new Etcdutl.UsageException("--wal-dir is not supported (the WAL is in the data dir)");
      } else {
        memberFlags.add(f);
      }
    }
    ParseResult parsed = EtcdConfigParser.parse(memberFlags.toArray(String[]::new), Map.of());
    if (!(parsed instanceof ParseResult.Run run)) {
      throw new Etcdutl.UsageException("unexpected flags: " + String.join(" ", flags));
    }
    MemberConfig member = MemberRunner.memberConfig(run.config());
    Path dataDir = run.config().dataDir();
    if (Files.exists(dataDir)) {
      throw new Etcdutl.UsageException("data-dir \"" + dataDir + "\" exists");
    }
    if (!Files.isRegularFile(file)) {
      throw new Etcdutl.UsageException("open " + file + ": no such file or directory");
    }
    if (SnapshotTrailer.hasTrailer(file)) {
      if (!skipHashCheck) {
        SnapshotTrailer.verify(file);
      }
    } else if (!skipHashCheck) {
      throw new Etcdutl.UsageException("snapshot missing hash but --skip-hash-check=false");
    }
    out.println(
        "restoring snapshot {\"path\": \""
            + file
            + "\", \"data-dir\": \""
            + dataDir
            + "\", \"member\": \""
            + member.name()
            + "\"}");
    Path kvDir = member.kvDir();
    try {
      Files.createDirectories(kvDir.getParent());
      EtcdBackendImport.Summary s = EtcdBackendImport.restore(file, kvDir);
      for (MemberConfig.Peer p : member.initialCluster()) {
        out.println(
            "added member {\"cluster-id\": \""
                + Long.toHexString(member.clusterId())
                + "\", \"member-id\": \""
                + Long.toHexString(p.id())
                + "\", \"peer-urls\": "
                + p.peerUrls()
                + "}");
      }
      out.println(
          "restored snapshot {\"revision\": "
              + s.revision()
              + ", \"compacted-revision\": "
              + s.compactedRevision()
              + ", \"revisions\": "
              + s.revisionKeys()
              + ", \"leases\": "
              + s.leases()
              + "}");
    } catch (IOException | RuntimeException e) {
      io.pekkoetcd.mvcc.MvccImport.deleteRecursively(dataDir);
      throw e;
    }
  }
}
