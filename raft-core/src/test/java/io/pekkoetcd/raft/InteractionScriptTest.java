package io.pekkoetcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Data-driven interaction scripts (after etcd-io/raft's {@code testdata/*.txt}): each file in
 * {@code src/test/resources/interaction} is a sequence of commands, each followed by {@code ----}
 * and its exact expected output, then a blank line. Lines starting with {@code #} are comments. Run
 * with {@code -Draft.rewrite=true} to regenerate the expectations, then review the diff.
 */
class InteractionScriptTest {

  private static final Path DIR = Path.of("src/test/resources/interaction");
  private static final boolean REWRITE = Boolean.getBoolean("raft.rewrite");

  private record Directive(List<String> comments, String command, String expected) {}

  @TestFactory
  Stream<DynamicTest> scripts() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(DIR)) {
      files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runScript(f)));
  }

  private static void runScript(Path file) throws IOException {
    List<Directive> directives = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    InteractionEnv env = new InteractionEnv();
    StringBuilder rewritten = new StringBuilder();
    for (Directive d : directives) {
      String actual = execute(env, d.command());
      if (REWRITE) {
        d.comments().forEach(c -> rewritten.append(c).append('\n'));
        rewritten.append(d.command()).append("\n----\n").append(actual).append("\n\n");
      } else {
        assertThat(actual).as("%s: %s", file.getFileName(), d.command()).isEqualTo(d.expected());
      }
    }
    if (REWRITE) {
      Files.writeString(file, rewritten.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
    }
  }

  private static String execute(InteractionEnv env, String line) {
    List<String> args = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    String[] tokens = line.trim().split("\\s+");
    for (int i = 1; i < tokens.length; i++) {
      int eq = tokens[i].indexOf('=');
      if (eq > 0) {
        options.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
      } else {
        args.add(tokens[i]);
      }
    }
    return env.run(tokens[0], args, options);
  }

  private static List<Directive> parse(List<String> lines) {
    List<Directive> result = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.isBlank()) {
        i++;
        continue;
      }
      if (line.startsWith("#")) {
        comments.add(line);
        i++;
        continue;
      }
      String command = line;
      i++;
      StringBuilder expected = new StringBuilder();
      if (i < lines.size() && lines.get(i).equals("----")) {
        i++;
        while (i < lines.size() && !lines.get(i).isEmpty()) {
          expected.append(expected.length() == 0 ? "" : "\n").append(lines.get(i));
          i++;
        }
      }
      result.add(new Directive(comments, command, expected.toString()));
      comments = new ArrayList<>();
    }
    return result;
  }
}
