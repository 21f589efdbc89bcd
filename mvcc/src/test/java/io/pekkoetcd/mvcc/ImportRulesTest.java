package io.pekkoetcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's seams, checked on its main sources: mvcc speaks keys, revisions and {@code mvccpb}
 * only. It knows no gRPC request or response ({@code etcdserverpb}), no Raft envelope ({@code
 * protocol.internal}, {@code raft}), no Pekko, and nothing of the layers above it.
 */
class ImportRulesTest {

  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "^import\\s+(static\\s+)?(io\\.pekkoetcd\\.protocol\\.etcdserverpb"
              + "|io\\.pekkoetcd\\.protocol\\.internal"
              + "|io\\.pekkoetcd\\.raft"
              + "|io\\.pekkoetcd\\.actors"
              + "|io\\.pekkoetcd\\.grpc"
              + "|io\\.grpc"
              + "|org\\.apache\\.pekko)[.;].*");

  @Test
  void mainSourcesImportNoRequestTypesNoRaftNoPekko() throws IOException {
    Path main = Path.of("src/main/java/io/pekkoetcd/mvcc");
    assertThat(main).isDirectory();
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (FORBIDDEN.matcher(line).matches() || mentionsForbidden(line)) {
            violations.add(f.getFileName() + ":" + (i + 1) + ": " + line);
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  /** Fully qualified uses in code, which no import shows. */
  private static boolean mentionsForbidden(String line) {
    return !line.startsWith("*")
        && !line.startsWith("//")
        && (line.contains("protocol.etcdserverpb.") || line.contains("protocol.internal."));
  }
}
