package io.pekkoetcd.mvcc;

import java.util.ArrayList;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The history of one user key, as etcd's {@code key_index.go}: a list of generations, each the life
 * of the key from a creating put to (and including) the tombstone that deleted it. The last
 * generation is the current one; it is empty when the key does not exist now.
 *
 * <p>Worked example (revisions written {@code main.sub}): put(1.0); put(2.0); tombstone(3.0);
 * put(4.0); tombstone(5.0) on key "foo" gives
 *
 * <pre>
 *   generations:
 *     {empty}
 *     {4.0, 5.0(t)}
 *     {1.0, 2.0, 3.0(t)}
 * </pre>
 *
 * Compacting at {@code rev} removes every revision ≤ rev except the largest one of the generation
 * that is alive at rev; a tombstone ≤ rev is removed together with its whole generation; a key
 * whose generations all go is removed from the index:
 *
 * <pre>
 *   compact(2): {empty} {4.0, 5.0(t)} {2.0, 3.0(t)}
 *   compact(4): {empty} {4.0, 5.0(t)}
 *   compact(5): {empty}            → key removed
 *   compact(6): {empty}            → key removed
 * </pre>
 *
 * The revisions that survive a compaction are added to the caller's {@code available} set;
 * everything else ≤ rev may be deleted from the backend. Not thread-safe.
 */
final class KeyIndex {

  /**
   * The life of a key between creation and deletion. {@code revs} ends with the tombstone if it was
   * deleted.
   */
  static final class Generation {
    long ver;
    Revision created;
    final RevisionList revs = new RevisionList();

    boolean isEmpty() {
      return revs.isEmpty();
    }

    Revision last() {
      return revs.last();
    }

    /**
     * Index of the last revision with main ≤ atRev, -1 if none (etcd's walk with "rev.main >
     * atRev").
     */
    int lastAtOrBefore(long atRev) {
      for (int i = revs.size() - 1; i >= 0; i--) {
        if (revs.main(i) <= atRev) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public String toString() {
      return revs.toString();
    }
  }

  /**
   * The key's state at a revision: the revision of its last put, its create revision, its version.
   */
  record At(Revision modified, long createRevision, long version) {}

  final byte[] key;
  Revision modified;
  final ArrayList<Generation> generations = new ArrayList<>(1);

  KeyIndex(byte[] key) {
    this.key = key;
  }

  /** Records a put at {@code rev}; starts a generation if the key does not exist now. */
  void put(Revision rev) {
    if (generations.isEmpty()) {
      generations.add(new Generation());
    }
    Generation g = generations.get(generations.size() - 1);
    if (g.isEmpty()) {
      g.created = rev;
    }
    g.revs.add(rev);
    g.ver++;
    modified = rev;
  }

  /**
   * Restores the first revision of this key found on disk (etcd's restore): it may be in the middle
   * of a generation whose start was compacted away, so the creation revision and version come from
   * the stored KeyValue.
   */
  void restore(Revision rev, long createRevision, long version) {
    Generation g = new Generation();
    g.created = new Revision(createRevision, 0);
    g.ver = version;
    g.revs.add(rev);
    generations.add(g);
    modified = rev;
  }

  /**
   * Records a deletion at {@code rev}: appended to the current generation, which ends; a new empty
   * one starts.
   *
   * @return false (and nothing changes) if the key does not exist now
   */
  boolean tombstone(Revision rev) {
    if (!isLive()) {
      return false;
    }
    put(rev);
    generations.add(new Generation());
    return true;
  }

  /** True if the key exists at the latest revision. */
  boolean isLive() {
    return !generations.isEmpty() && !generations.get(generations.size() - 1).isEmpty();
  }

  boolean isEmpty() {
    return generations.isEmpty() || (generations.size() == 1 && generations.get(0).isEmpty());
  }

  /** The key at {@code atRev}, or null if it did not exist then. */
  At get(long atRev) {
    int gi = findGeneration(atRev);
    if (gi < 0) {
      return null;
    }
    Generation g = generations.get(gi);
    int n = g.lastAtOrBefore(atRev);
    if (n < 0) {
      return null;
    }
    return new At(g.revs.get(n), g.created.main(), g.ver - (g.revs.size() - n - 1));
  }

  /** The generation alive at {@code rev}, or -1 (the key did not exist at rev). */
  private int findGeneration(long rev) {
    int lastg = generations.size() - 1;
    for (int cg = lastg; cg >= 0; cg--) {
      Generation g = generations.get(cg);
      if (g.isEmpty()) {
        continue;
      }
      if (cg != lastg && g.last().main() <= rev) {
        // the generation ended (tombstone) at or before rev
        return -1;
      }
      if (g.revs.main(0) <= rev) {
        return cg;
      }
    }
    return -1;
  }

  /**
   * Compacts at {@code atRev} (see the class comment), adding the surviving revisions ≤ atRev to
   * {@code available} and handing the removed ones to {@code removed} (if not null).
   */
  void compact(long atRev, Set<Revision> available, Consumer<Revision> removed) {
    if (isEmpty()) {
      return;
    }
    int genIdx = firstGenerationAliveAfter(atRev);
    Generation g = generations.get(genIdx);
    int revIndex = g.lastAtOrBefore(atRev);
    if (revIndex >= 0) {
      available.add(g.revs.get(revIndex));
    }
    if (removed != null) {
      for (int i = 0; i < genIdx; i++) {
        generations.get(i).revs.forEach(removed);
      }
    }
    if (!g.isEmpty()) {
      if (revIndex > 0) {
        if (removed != null) {
          for (int i = 0; i < revIndex; i++) {
            removed.accept(g.revs.get(i));
          }
        }
        g.revs.removeFirst(revIndex);
      }
      // a generation left holding only its tombstone goes too
      if (g.revs.size() == 1 && genIdx != generations.size() - 1) {
        available.remove(g.revs.get(0));
        if (removed != null) {
          removed.accept(g.revs.get(0));
        }
        genIdx++;
      }
    }
    generations.subList(0, genIdx).clear();
  }

  /**
   * What {@link #compact} at atRev would keep, without changing anything (etcd's keep, used by
   * hashKV).
   */
  void keep(long atRev, Set<Revision> available) {
    if (isEmpty()) {
      return;
    }
    int genIdx = firstGenerationAliveAfter(atRev);
    Generation g = generations.get(genIdx);
    int revIndex = g.lastAtOrBefore(atRev);
    if (revIndex >= 0) {
      available.add(g.revs.get(revIndex));
      if (revIndex == g.revs.size() - 1 && genIdx != generations.size() - 1) {
        available.remove(g.revs.get(revIndex));
      }
    }
  }

  /** The first generation that is the current one or ended (tombstone) after atRev. */
  private int firstGenerationAliveAfter(long atRev) {
    int genIdx = 0;
    while (genIdx < generations.size() - 1) {
      Generation g = generations.get(genIdx);
      if (g.last().main() > atRev) {
        break;
      }
      genIdx++;
    }
    return genIdx;
  }

  @Override
  public String toString() {
    return "KeyIndex{"
        + new String(key, java.nio.charset.StandardCharsets.UTF_8)
        + " "
        + generations
        + "}";
  }
}
