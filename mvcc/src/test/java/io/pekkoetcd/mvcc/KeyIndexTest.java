package io.pekkoetcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * etcd's key_index.go worked example: put(1.0); put(2.0); tombstone(3.0); put(4.0); tombstone(5.0).
 */
class KeyIndexTest {

  static KeyIndex example() {
    KeyIndex ki = new KeyIndex("foo".getBytes(StandardCharsets.UTF_8));
    ki.put(new Revision(1, 0));
    ki.put(new Revision(2, 0));
    assertThat(ki.tombstone(new Revision(3, 0))).isTrue();
    ki.put(new Revision(4, 0));
    assertThat(ki.tombstone(new Revision(5, 0))).isTrue();
    return ki;
  }

  /** Generations as main revisions, oldest first; "" for the empty current generation. */
  static List<String> gens(KeyIndex ki) {
    List<String> out = new ArrayList<>();
    for (KeyIndex.Generation g : ki.generations) {
      StringBuilder sb = new StringBuilder();
      for (Revision r : g.revs) {
        sb.append(sb.length() == 0 ? "" : ",").append(r.main());
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void workedExampleShape() {
    KeyIndex ki = example();
    assertThat(gens(ki)).containsExactly("1,2,3", "4,5", "");
    assertThat(ki.isLive()).isFalse();
    assertThat(ki.modified).isEqualTo(new Revision(5, 0));
  }

  static Stream<Arguments> compactions() {
    // atRev, generations kept, revisions available (kept ≤ atRev), key removed from the index
    return Stream.of(
        Arguments.of(1L, List.of("1,2,3", "4,5", ""), Set.of(1L), false),
        Arguments.of(2L, List.of("2,3", "4,5", ""), Set.of(2L), false),
        Arguments.of(3L, List.of("4,5", ""), Set.of(), false),
        Arguments.of(4L, List.of("4,5", ""), Set.of(4L), false),
        Arguments.of(5L, List.of(""), Set.of(), true),
        Arguments.of(6L, List.of(""), Set.of(), true));
  }

  @ParameterizedTest(name = "compact({0})")
  @MethodSource("compactions")
  void compactAtTombstones(long atRev, List<String> kept, Set<Long> available, boolean removed) {
    KeyIndex ki = example();
    Set<Revision> avail = new HashSet<>();
    List<Revision> garbage = new ArrayList<>();
    ki.compact(atRev, avail, garbage::add);
    assertThat(gens(ki)).isEqualTo(kept);
    assertThat(avail.stream().map(Revision::main).toList())
        .containsExactlyInAnyOrderElementsOf(available);
    assertThat(ki.isEmpty()).isEqualTo(removed);
    // garbage + kept = everything that was there
    List<Long> all = new ArrayList<>(garbage.stream().map(Revision::main).toList());
    ki.generations.forEach(g -> g.revs.forEach(r -> all.add(r.main())));
    assertThat(all).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
  }

  @ParameterizedTest(name = "keep({0})")
  @MethodSource("compactions")
  void keepMatchesCompact(long atRev, List<String> kept, Set<Long> available, boolean removed) {
    KeyIndex ki = example();
    Set<Revision> keep = new HashSet<>();
    ki.keep(atRev, keep);
    assertThat(keep.stream().map(Revision::main).toList())
        .containsExactlyInAnyOrderElementsOf(available);
    assertThat(gens(ki)).containsExactly("1,2,3", "4,5", ""); // keep changes nothing
  }

  @Test
  void successiveCompactions() {
    KeyIndex ki = example();
    ki.compact(2, new HashSet<>(), null);
    assertThat(gens(ki)).containsExactly("2,3", "4,5", "");
    ki.compact(4, new HashSet<>(), null);
    assertThat(gens(ki)).containsExactly("4,5", "");
    ki.compact(5, new HashSet<>(), null);
    assertThat(ki.isEmpty()).isTrue();
  }

  static Stream<Arguments> reads() {
    // atRev → modified main, create, version; null = absent
    return Stream.of(
        Arguments.of(0L, null),
        Arguments.of(1L, new long[] {1, 1, 1}),
        Arguments.of(2L, new long[] {2, 1, 2}),
        Arguments.of(3L, null),
        Arguments.of(4L, new long[] {4, 4, 1}),
        Arguments.of(5L, null),
        Arguments.of(9L, null));
  }

  @ParameterizedTest(name = "get({0})")
  @MethodSource("reads")
  void getAtRevision(long atRev, long[] expected) {
    KeyIndex.At at = example().get(atRev);
    if (expected == null) {
      assertThat(at).isNull();
    } else {
      assertThat(at.modified().main()).isEqualTo(expected[0]);
      assertThat(at.createRevision()).isEqualTo(expected[1]);
      assertThat(at.version()).isEqualTo(expected[2]);
    }
  }

  @Test
  void getAfterCompactionStillAnswersAtAndAboveIt() {
    KeyIndex ki = example();
    ki.compact(2, new HashSet<>(), null);
    assertThat(ki.get(2).version()).isEqualTo(2);
    assertThat(ki.get(4).version()).isEqualTo(1);
    assertThat(ki.get(3)).isNull();
  }

  @Test
  void tombstoneOfMissingKeyIsRefused() {
    KeyIndex ki = new KeyIndex(new byte[] {1});
    assertThat(ki.tombstone(new Revision(2, 0))).isFalse();
    ki.put(new Revision(2, 0));
    assertThat(ki.tombstone(new Revision(3, 0))).isTrue();
    assertThat(ki.tombstone(new Revision(4, 0))).isFalse();
  }
}
