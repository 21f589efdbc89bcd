package io.pekkoetcd.testkit.watch;

import com.google.protobuf.ByteString;
import io.pekkoetcd.protocol.etcdserverpb.WatchResponse;
import io.pekkoetcd.protocol.mvccpb.Event;
import io.pekkoetcd.protocol.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Checks what one watcher received against the history the writers recorded, by etcd's watch
 * guarantees (as named in etcd's robustness tests):
 *
 * <ul>
 *   <li><b>ordered</b>: events arrive by increasing (revision, position in the revision);
 *   <li><b>unique</b>: no event twice;
 *   <li><b>atomic</b>: all of a revision's matching events arrive in one response (the watcher does
 *       not fragment);
 *   <li><b>reliable</b> and <b>resumable</b>: from the start revision up to the checked revision
 *       every matching event arrives, none is missing;
 *   <li><b>prevKV</b>: with prev_kv, every event but a creation carries the key as it was just
 *       before;
 *   <li><b>isCreate</b>: a PUT is a creation (version 1, create = mod revision) exactly when the
 *       key did not exist.
 * </ul>
 *
 * <p>The history is kept as the writers saw it: revision → the changes of that write, in order.
 */
public final class WatchChecker {

  /** One change of a write: a put of {@code value}, or a delete ({@code value == null}). */
  public record Change(ByteString key, ByteString value) {
    public static Change put(ByteString key, ByteString value) {
      return new Change(key, value);
    }

    public static Change delete(ByteString key) {
      return new Change(key, null);
    }

    boolean isDelete() {
      return value == null;
    }
  }

  /** What a watcher asked for. */
  public record Spec(
      Predicate<ByteString> keys,
      long startRevision,
      boolean prevKv,
      boolean noPut,
      boolean noDelete) {}

  private final NavigableMap<Long, List<Change>> history = new TreeMap<>();

  /** Record the changes of the write that created {@code revision}. */
  public synchronized void record(long revision, List<Change> changes) {
    if (history.put(revision, List.copyOf(changes)) != null) {
      throw new IllegalArgumentException("revision " + revision + " recorded twice");
    }
  }

  public synchronized long lastRevision() {
    return history.isEmpty() ? 0 : history.lastKey();
  }

  /**
   * The revisions in [{@code from}, {@code through}] no write was recorded for: writes whose
   * outcome the writer did not learn (e.g. its member stopped), to be resolved from the store
   * before checking.
   */
  public synchronized List<Long> holes(long from, long through) {
    List<Long> out = new ArrayList<>();
    for (long r = from; r <= through; r++) {
      if (!history.containsKey(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The events a watcher with {@code spec} must receive for revisions up to {@code
   * throughRevision}, keyed by revision, built by replaying the history from the first recorded
   * revision (which must follow an empty store or cover every key the watcher sees).
   */
  public synchronized NavigableMap<Long, List<Event>> expected(Spec spec, long throughRevision) {
    Map<ByteString, KeyValue> state = new HashMap<>();
    NavigableMap<Long, List<Event>> out = new TreeMap<>();
    long previous = 0;
    for (Map.Entry<Long, List<Change>> e : history.headMap(throughRevision, true).entrySet()) {
      long rev = e.getKey();
      if (previous != 0 && rev != previous + 1) {
        throw new IllegalStateException("history has a hole between " + previous + " and " + rev);
      }
      previous = rev;
      List<Event> events = new ArrayList<>();
      for (Change c : e.getValue()) {
        KeyValue before = state.get(c.key());
        Event.Builder ev = Event.newBuilder();
        if (c.isDelete()) {
          state.remove(c.key());
          ev.setType(Event.EventType.DELETE)
              .setKv(KeyValue.newBuilder().setKey(c.key()).setModRevision(rev));
        } else {
          KeyValue kv =
              KeyValue.newBuilder()
                  .setKey(c.key())
                  .setValue(c.value())
                  .setModRevision(rev)
                  .setCreateRevision(before == null ? rev : before.getCreateRevision())
                  .setVersion(before == null ? 1 : before.getVersion() + 1)
                  .build();
          state.put(c.key(), kv);
          ev.setType(Event.EventType.PUT).setKv(kv);
        }
        if (spec.prevKv() && before != null) {
          ev.setPrevKv(before);
        }
        boolean filtered = c.isDelete() ? spec.noDelete() : spec.noPut();
        if (rev >= spec.startRevision() && spec.keys().test(c.key()) && !filtered) {
          events.add(ev.build());
        }
      }
      if (!events.isEmpty()) {
        out.put(rev, events);
      }
    }
    return out;
  }

  /**
   * The violations (empty if none) in {@code responses}, the event responses one watcher received
   * in order, checked through {@code throughRevision} (the watcher must have been told it has
   * everything up to there, e.g. by a progress answer).
   */
  public List<String> check(Spec spec, List<WatchResponse> responses, long throughRevision) {
    List<String> violations = new ArrayList<>();
    NavigableMap<Long, List<Event>> expected = expected(spec, throughRevision);
    NavigableMap<Long, List<Event>> got = new TreeMap<>();
    long lastRev = 0;
    for (WatchResponse r : responses) {
      Map<Long, Boolean> inThisResponse = new HashMap<>();
      for (Event e : r.getEventsList()) {
        long rev = e.getKv().getModRevision();
        if (rev < lastRev) {
          violations.add("ordered: revision " + rev + " after " + lastRev);
        }
        if (got.containsKey(rev) && !inThisResponse.containsKey(rev)) {
          violations.add("atomic/unique: revision " + rev + " arrived in more than one response");
        }
        inThisResponse.put(rev, true);
        lastRev = Math.max(lastRev, rev);
        got.computeIfAbsent(rev, k -> new ArrayList<>()).add(e);
      }
    }
    for (Map.Entry<Long, List<Event>> e : expected.entrySet()) {
      List<Event> actual = got.get(e.getKey());
      if (actual == null) {
        violations.add("reliable: revision " + e.getKey() + " missing");
      } else if (!actual.equals(e.getValue())) {
        violations.add(
            "revision "
                + e.getKey()
                + ": expected "
                + describe(e.getValue())
                + " but got "
                + describe(actual)
                + " (unique, atomic, prevKV, isCreate)");
      }
    }
    for (Long rev : got.headMap(throughRevision, true).keySet()) {
      if (!expected.containsKey(rev)) {
        violations.add("unexpected events at revision " + rev + ": " + describe(got.get(rev)));
      }
    }
    return violations;
  }

  private static String describe(List<Event> events) {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      KeyValue kv = e.getKv();
      out.add(
          e.getType()
              + " "
              + kv.getKey().toStringUtf8()
              + "="
              + kv.getValue().toStringUtf8()
              + " c"
              + kv.getCreateRevision()
              + " m"
              + kv.getModRevision()
              + " v"
              + kv.getVersion()
              + (e.hasPrevKv()
                  ? " prev="
                      + e.getPrevKv().getValue().toStringUtf8()
                      + "@"
                      + e.getPrevKv().getModRevision()
                  : ""));
    }
    return out.toString();
  }

  static Comparator<ByteString> unsigned() {
    return ByteString.unsignedLexicographicalComparator();
  }
}
