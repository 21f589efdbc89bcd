package io.pekkoetcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packed compaction garbage keeps order and count across chunks, takes and moves. */
class CompactionGarbageTest {

  private static List<Revision> revisions(int from, int n) {
    List<Revision> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(new Revision(i, i % 3));
    }
    return out;
  }

  @Test
  void takesInOrderAcrossChunks() {
    CompactionGarbage g = new CompactionGarbage();
    revisions(0, 10_000).forEach(g);
    assertThat(g.size()).isEqualTo(10_000);
    List<Revision> taken = new ArrayList<>(g.take(1));
    taken.addAll(g.take(4_095));
    taken.addAll(g.take(5_000));
    assertThat(g.size()).isEqualTo(904);
    revisions(10_000, 100).forEach(g); // appended while partly consumed
    taken.addAll(g.take(Integer.MAX_VALUE));
    assertThat(taken).isEqualTo(revisions(0, 10_100));
    assertThat(g.size()).isZero();
    assertThat(g.take(10)).isEmpty();
    revisions(7, 2).forEach(g); // usable again once empty
    assertThat(g.take(5)).isEqualTo(revisions(7, 2));
  }

  @Test
  void takeAllMovesEverythingAndClearEmpties() {
    CompactionGarbage staged = new CompactionGarbage();
    CompactionGarbage pending = new CompactionGarbage();
    revisions(0, 3).forEach(pending);
    revisions(3, 9_000).forEach(staged);
    pending.takeAll(staged);
    assertThat(staged.size()).isZero();
    assertThat(pending.size()).isEqualTo(9_003);
    assertThat(pending.take(Integer.MAX_VALUE)).isEqualTo(revisions(0, 9_003));
    revisions(0, 5_000).forEach(staged);
    staged.clear();
    assertThat(staged.size()).isZero();
    assertThat(staged.take(1)).isEmpty();
  }
}
