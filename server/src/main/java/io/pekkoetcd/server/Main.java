package io.pekkoetcd.server;

import io.pekkoetcd.server.config.ConfigException;
import io.pekkoetcd.server.config.EtcdConfigParser;
import io.pekkoetcd.server.config.ParseResult;
import java.util.Locale;

/**
 * {@code pekko-etcd}: parses etcd's flags, {@code ETCD_*} environment and {@code --config-file},
 * then runs one member until the process is stopped. A wrong flag is a one-line error on stderr and
 * exit code 1.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ParseResult parsed;
    try {
      parsed = EtcdConfigParser.parse(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println("pekko-etcd: " + e.getMessage());
      System.exit(1);
      return;
    }
    if (parsed instanceof ParseResult.Help h) {
      System.out.println(h.usage());
      return;
    }
    if (parsed instanceof ParseResult.Version) {
      System.out.println(MemberRunner.versionText());
      return;
    }
    ParseResult.Run run = (ParseResult.Run) parsed;
    // Before the first logger exists: logback.xml reads the level from this property.
    System.setProperty("PEKKO_ETCD_LOG_LEVEL", run.config().logLevel().toUpperCase(Locale.ROOT));
    MemberRunner.start(run.config(), run.warnings());
  }
}
