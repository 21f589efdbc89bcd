package io.pekkoetcd.server.config;

/**
 * The {@code --help} text: every flag of {@link EtcdFlags} with its default, grouped as in {@code
 * etcd --help}.
 */
final class Usage {

  private Usage() {}

  static String text() {
    StringBuilder out = new StringBuilder();
    out.append("Usage:\n\n")
        .append(
            "  pekko-etcd [flags]\n    Start a pekko-etcd member (flags, ETCD_* variables and defaults as etcd's).\n\n")
        .append("  pekko-etcd --version\n    Show the version of pekko-etcd.\n\n")
        .append("  pekko-etcd -h | --help\n    Show the help information about pekko-etcd.\n\n")
        .append(
            "  pekko-etcd --config-file\n    Path to the server configuration file. Note that if a configuration")
        .append(
            " file is provided, other command line flags and environment variables will be ignored.\n");
    Flag.Group current = null;
    for (Flag flag : EtcdFlags.ALL) {
      if (flag.name().equals(EtcdFlags.CONFIG_FILE)) {
        continue;
      }
      if (flag.group() != current) {
        current = flag.group();
        out.append('\n').append(groupTitle(current)).append(":\n");
      }
      out.append("  --")
          .append(flag.name())
          .append(" '")
          .append(flag.defaultValue())
          .append("'\n")
          .append("    ")
          .append(flag.help());
      switch (flag.use()) {
        case IGNORED -> out.append(" [accepted for compatibility; ignored by pekko-etcd]");
        case UNSUPPORTED -> out.append(" [not supported by pekko-etcd]");
        case STORED -> {}
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String groupTitle(Flag.Group group) {
    return switch (group) {
      case MEMBER -> "Member";
      case CLUSTERING -> "Clustering";
      case SECURITY -> "Security";
      case AUTH -> "Auth";
      case MONITORING -> "Profiling and Monitoring";
      case LOGGING -> "Logging";
      case PROXY -> "v2 Proxy (not supported)";
      case EXPERIMENTAL -> "Experimental feature";
      case UNSAFE -> "Unsafe feature";
      case DEPRECATED -> "TO BE DEPRECATED";
    };
  }
}
