package io.pekkoetcd.actors;

/**
 * Test-only fault switches, like etcd's failpoints: each breaks a guarantee on purpose, so that a
 * test can show its checker catches the break. Never on by default; each is read once, from an
 * environment variable or the same-named system property set to {@code true} or {@code 1}, and a
 * member started with one on logs a warning (see {@link EtcdMember#start}).
 *
 * <ul>
 *   <li>{@code PEKKO_ETCD_FAILPOINT_SKIP_READ_INDEX}: linearizable reads skip ReadIndex and are
 *       served from the member's own store at once, as serializable reads are — so a partitioned or
 *       deposed leader answers stale data (the multi-jvm leader-isolation scenario must report the
 *       violation).
 * </ul>
 */
public final class Failpoints {
  /** The switch's name, as environment variable and as system property. */
  public static final String SKIP_READ_INDEX = "PEKKO_ETCD_FAILPOINT_SKIP_READ_INDEX";

  private static final boolean SKIP_READ_INDEX_ON = on(SKIP_READ_INDEX);

  private Failpoints() {}

  /** Whether linearizable reads skip ReadIndex (breaks linearizability: tests only). */
  public static boolean skipReadIndex() {
    return SKIP_READ_INDEX_ON;
  }

  private static boolean on(String name) {
    String v = System.getProperty(name, System.getenv(name));
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }
}
