package io.pekkoetcd.server;

import io.pekkoetcd.bbolt.SnapshotStatus;
import io.pekkoetcd.server.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pekko-etcdutl}: etcd's offline snapshot tools on a file, no server involved.
 *
 * <pre>
 *   pekko-etcdutl snapshot status FILE [-w simple|json|table]
 *   pekko-etcdutl snapshot restore FILE [--data-dir D] [--name N] [--initial-cluster C]
 *       [--initial-cluster-token T] [--initial-advertise-peer-urls U] [--skip-hash-check]
 * </pre>
 *
 * FILE is etcd's backend database: a snapshot saved from pekko-etcd or from real etcd ({@code
 * etcdctl snapshot save}). A failure is {@code Error: <reason>} on stderr and exit code 1, as
 * etcdctl.
 */
public final class Etcdutl {
  private Etcdutl() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      List<String> a = List.of(args);
      if (a.size() < 3 || !a.get(0).equals("snapshot")) {
        throw new UsageException("usage: pekko-etcdutl snapshot status|restore <filename> [flags]");
      }
      Path file = Path.of(a.get(2));
      List<String> flags = a.subList(3, a.size());
      switch (a.get(1)) {
        case "status" -> out.print(status(file, flags));
        case "restore" -> SnapshotRestore.restore(file, flags, out);
        default ->
            throw new UsageException("unknown command \"" + a.get(1) + "\" for \"snapshot\"");
      }
      return 0;
    } catch (UsageException | ConfigException | IOException | RuntimeException e) {
      err.println("Error: " + e.getMessage());
      return 1;
    }
  }

  private static String status(Path file, List<String> flags) throws IOException, UsageException {
    String format = "simple";
    List<String> rest = new ArrayList<>(flags);
    while (!rest.isEmpty()) {
      String f = rest.remove(0);
      if (f.equals("-w") || f.equals("--write-out")) {
        if (rest.isEmpty()) {
          throw new UsageException("flag needs an argument: " + f);
        }
        format = rest.remove(0);
      } else if (f.startsWith("--write-out=") || f.startsWith("-w=")) {
        format = f.substring(f.indexOf('=') + 1);
      } else {
        throw new UsageException("unknown flag: " + f);
      }
    }
    SnapshotStatus s = SnapshotStatus.of(file);
    return switch (format) {
      case "simple" -> s.simple() + "\n";
      case "json" -> s.json() + "\n";
      case "table" -> s.table();
      default -> throw new UsageException("unsupported output format \"" + format + "\"");
    };
  }

  /** A wrong command line. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }
}
