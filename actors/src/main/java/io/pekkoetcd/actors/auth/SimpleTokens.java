package io.pekkoetcd.actors.auth;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * etcd's simple tokens ({@code auth/simple_token.go}): a token is 16 random letters, then "." and
 * the Raft index of the Authenticate entry that assigned it; every member keeps the assignments in
 * memory (lost on restart), each valid for {@code ttl} after its last use. Thread-safe (the edge
 * resolves tokens while the apply side assigns them); time and randomness are injected.
 */
public final class SimpleTokens {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final int PREFIX_LENGTH = 16;

  private record Held(String user, long expiresAtNanos) {}

  private final Map<String, Held> tokens = new HashMap<>();
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final Random random;

  public SimpleTokens(long ttlNanos, LongSupplier nanoClock, Random random) {
    this.ttlNanos = ttlNanos;
    this.nanoClock = nanoClock;
    this.random = random;
  }

  /** The random part of a new token (etcd's GenTokenPrefix), drawn by the receiving member. */
  public synchronized String prefix() {
    StringBuilder b = new StringBuilder(PREFIX_LENGTH);
    for (int i = 0; i < PREFIX_LENGTH; i++) {
      b.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return b.toString();
  }

  /** The full token an Authenticate entry at {@code index} assigns. */
  public static String token(String prefix, long index) {
    return prefix + "." + index;
  }

  /** Assigns a token; drops the expired ones first (so unused tokens do not pile up). */
  public synchronized void assign(String token, String user) {
    expire();
    tokens.put(token, new Held(user, nanoClock.getAsLong() + ttlNanos));
  }

  /** The user of a live token, whose TTL starts again (etcd extends a simple token on each use). */
  public synchronized Optional<String> use(String token) {
    Held h = tokens.get(token);
    long now = nanoClock.getAsLong();
    if (h == null) {
      return Optional.empty();
    }
    if (now - h.expiresAtNanos() >= 0) {
      tokens.remove(token);
      return Optional.empty();
    }
    tokens.put(token, new Held(h.user(), now + ttlNanos));
    return Optional.of(h.user());
  }

  /** Drops every token of {@code user} (deleted, or its password changed). */
  public synchronized void invalidateUser(String user) {
    tokens.values().removeIf(h -> h.user().equals(user));
  }

  /** Drops every token (auth disabled). */
  public synchronized void clear() {
    tokens.clear();
  }

  /** Drops expired tokens (etcd's keeper does this every second). */
  public synchronized void expire() {
    long now = nanoClock.getAsLong();
    for (Iterator<Held> it = tokens.values().iterator(); it.hasNext(); ) {
      if (now - it.next().expiresAtNanos() >= 0) {
        it.remove();
      }
    }
  }

  synchronized int size() {
    return tokens.size();
  }
}
