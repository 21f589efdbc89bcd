package io.pekkoetcd.actors.metrics;

import java.util.regex.Pattern;

/**
 * The label an actor's series carry: its kind, from its path. A member's actors are few and named
 * (docs/architecture.md §2), so the kind is the path under {@code /user} with per-instance numbers
 * dropped: {@code /user/kv} → {@code kv}, {@code /user/raft/peers} → {@code raft/peers}, {@code
 * /user/watch/stream-17} → {@code watch/stream}. Pekko's own actors are {@code system/<first name>}
 * (e.g. the journal, {@code system/pekko.persistence.journal.leveldb}); anonymous ones ({@code $a})
 * are {@code anonymous}. The number of kinds is bounded, as Prometheus labels must be.
 */
public final class ActorKinds {
  private ActorKinds() {}

  private static final Pattern INSTANCE_NUMBER = Pattern.compile("-[0-9]+$");

  /** The kind of the actor at {@code path} ({@code /user/...}, without the address). */
  public static String of(String path) {
    String[] parts = path.split("/");
    // parts[0] is empty (the path starts with '/'); parts[1] is "user", "system", "temp", ...
    if (parts.length < 3) {
      return parts.length == 2 ? parts[1] : "root";
    }
    if (!parts[1].equals("user")) {
      return parts[1] + "/" + instanceless(parts[2]);
    }
    StringBuilder kind = new StringBuilder();
    for (int i = 2; i < parts.length; i++) {
      String name = instanceless(parts[i]);
      if (name.equals("anonymous")) {
        return kind.length() == 0 ? name : kind + "/" + name;
      }
      if (kind.length() > 0) {
        kind.append('/');
      }
      kind.append(name);
    }
    return kind.toString();
  }

  private static String instanceless(String name) {
    if (name.startsWith("$")) {
      return "anonymous";
    }
    return INSTANCE_NUMBER.matcher(name).replaceFirst("");
  }
}
