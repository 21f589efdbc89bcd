package io.pekkoetcd.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The storage seam's contract: half-open ranges, the snapshot's term answering below firstIndex,
 * truncation.
 */
class MemoryRaftStorageTest {

  private static Entry e(long term, long index) {
    return new Entry(term, index, EntryType.NORMAL, new byte[] {(byte) index});
  }

  @Test
  void bootstrapIsASnapshotAtIndexOneWithTheMembership() {
    MemoryRaftStorage s = MemoryRaftStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L));
    assertThat(s.firstIndex()).isEqualTo(2);
    assertThat(s.lastIndex()).isEqualTo(1);
    assertThat(s.term(1)).isEqualTo(1);
    assertThat(s.initialState().confState().voters()).containsExactly(1L, 2L, 3L);
    assertThatThrownBy(() -> s.term(0)).isInstanceOf(LogCompactedException.class);
    assertThatThrownBy(() -> s.term(2)).isInstanceOf(LogUnavailableException.class);
  }

  @Test
  void appendTruncatesAConflictingSuffix() {
    MemoryRaftStorage s = MemoryRaftStorage.bootstrap(ConfState.ofVoters(1L));
    s.append(List.of(e(1, 2), e(1, 3), e(1, 4)));
    s.append(List.of(e(2, 3)));
    assertThat(s.lastIndex()).isEqualTo(3);
    assertThat(s.entries(2, 4, Long.MAX_VALUE)).containsExactly(e(1, 2), e(2, 3));
    assertThatThrownBy(() -> s.append(List.of(e(2, 9)))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void entriesRespectTheSizeLimitButReturnAtLeastOne() {
    MemoryRaftStorage s = MemoryRaftStorage.bootstrap(ConfState.ofVoters(1L));
    s.append(List.of(e(1, 2), e(1, 3), e(1, 4)));
    assertThat(s.entries(2, 5, 1)).containsExactly(e(1, 2));
    assertThat(s.entries(2, 5, 2 * (1 + Entry.OVERHEAD_BYTES))).containsExactly(e(1, 2), e(1, 3));
  }

  @Test
  void compactionKeepsTheTermOfTheLastCompactedEntry() {
    MemoryRaftStorage s = MemoryRaftStorage.bootstrap(ConfState.ofVoters(1L));
    s.append(List.of(e(1, 2), e(2, 3), e(2, 4)));
    Snapshot snap = s.createSnapshot(3, ConfState.ofVoters(1L), new byte[] {42});
    s.compact(3);
    assertThat(snap.term()).isEqualTo(2);
    assertThat(s.firstIndex()).isEqualTo(4);
    assertThat(s.term(3)).isEqualTo(2);
    assertThatThrownBy(() -> s.entries(3, 5, Long.MAX_VALUE))
        .isInstanceOf(LogCompactedException.class);
    assertThat(s.entries(4, 5, Long.MAX_VALUE)).containsExactly(e(2, 4));
  }

  @Test
  void applyingASnapshotReplacesTheLog() {
    MemoryRaftStorage s = MemoryRaftStorage.bootstrap(ConfState.ofVoters(1L));
    s.append(List.of(e(1, 2), e(1, 3)));
    s.applySnapshot(new Snapshot(10, 3, ConfState.ofVoters(1L, 2L), new byte[0]));
    assertThat(s.firstIndex()).isEqualTo(11);
    assertThat(s.lastIndex()).isEqualTo(10);
    assertThat(s.term(10)).isEqualTo(3);
    assertThat(s.initialState().confState().voters()).containsExactly(1L, 2L);
  }
}
