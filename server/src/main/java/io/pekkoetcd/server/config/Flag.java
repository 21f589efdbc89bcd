package io.pekkoetcd.server.config;

/**
 * One etcd server flag: its name (without dashes), how its value is read, etcd's default (as etcd
 * prints it in {@code etcd --help}), the help group and text, and what pekko-etcd does with it.
 *
 * <p>The same flag is reachable three ways: {@code --name value} / {@code --name=value} (also with
 * one dash, as Go's flag package allows), the environment variable {@link #envName()} ({@code
 * ETCD_NAME}), and the key {@code name:} of the YAML config file.
 */
record Flag(String name, Kind kind, String defaultValue, Group group, Use use, String help) {

  /** How the raw string is parsed. Every kind's malformed value is etcd's "parse error". */
  enum Kind {
    STRING,
    /**
     * {@code true}/{@code false} (and Go's 1/0/t/f/T/F/TRUE/FALSE/True/False); a bare {@code
     * --flag} means true.
     */
    BOOL,
    /** unsigned decimal that fits an int. */
    UINT,
    /** signed decimal long. */
    INT64,
    /** unsigned decimal long. */
    UINT64,
    /** Go duration: {@code 5s}, {@code 2h}, {@code 1h30m}, {@code 100ms}, {@code 0}. */
    DURATION,
    /**
     * comma-separated URLs, each http/https/unix/unixs with host:port and no path (etcd's
     * types.NewURLs).
     */
    URLS,
    /** comma-separated strings. */
    LIST
  }

  enum Group {
    MEMBER,
    CLUSTERING,
    SECURITY,
    AUTH,
    MONITORING,
    LOGGING,
    PROXY,
    EXPERIMENTAL,
    UNSAFE,
    DEPRECATED
  }

  /** What pekko-etcd does with the flag. */
  enum Use {
    /** parsed, validated and stored in {@link EtcdConfig}. */
    STORED,
    /** parsed and validated like etcd, then ignored; a non-default value gives a warning. */
    IGNORED,
    /** parsed and validated; a non-default value stops the server with a one-line message. */
    UNSUPPORTED
  }

  String envName() {
    return "ETCD_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  boolean isBool() {
    return kind == Kind.BOOL;
  }
}
