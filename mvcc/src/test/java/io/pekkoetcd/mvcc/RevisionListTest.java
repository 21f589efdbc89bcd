package io.pekkoetcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevisionListTest {

  private static RevisionList of(int count) {
    RevisionList list = new RevisionList();
    for (int i = 1; i <= count; i++) {
      list.add(new Revision(i, i % 3));
    }
    return list;
  }

  @Test
  void keepsRevisionsInWriteOrderAcrossGrowth() {
    RevisionList list = of(1000);
    assertThat(list.size()).isEqualTo(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(list.get(i)).isEqualTo(new Revision(i + 1, (i + 1) % 3));
      assertThat(list.main(i)).isEqualTo(i + 1);
    }
    assertThat(list.last()).isEqualTo(new Revision(1000, 1));
  }

  @Test
  void removeFirstKeepsTheTailWhetherOrNotTheArrayShrinks() {
    for (int removed : new int[] {0, 1, 10, 499, 500, 990, 1000}) {
      RevisionList list = of(1000);
      list.removeFirst(removed);
      List<Long> mains = new ArrayList<>();
      list.forEach(r -> mains.add(r.main()));
      assertThat(mains).hasSize(1000 - removed);
      if (removed < 1000) {
        assertThat(mains.get(0)).isEqualTo(removed + 1L);
        assertThat(list.last().main()).isEqualTo(1000L);
      }
      list.add(new Revision(2000, 0));
      assertThat(list.last()).isEqualTo(new Revision(2000, 0));
      assertThat(list.size()).isEqualTo(1000 - removed + 1);
    }
  }

  @Test
  void refusesIndexesOutsideTheList() {
    RevisionList list = of(3);
    assertThatThrownBy(() -> list.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.main(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.removeFirst(4)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(new RevisionList().isEmpty()).isTrue();
    assertThat(of(2).toString()).isEqualTo("[1.1, 2.2]");
  }
}
